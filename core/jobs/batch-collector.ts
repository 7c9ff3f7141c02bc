/**
 * Gathers items that arrive together into batches, like a database's group commit: the first item
 * is handled after the current turn of the event loop with whatever arrived alongside it, and
 * while `maxParallel` batches are running, new arrivals wait to form the next one.
 */
export class BatchCollector<T> {
  private waiting: T[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly handle: (batch: T[]) => Promise<void>,
    private readonly limits: { maxSize: number; maxParallel: number },
  ) {}

  add(item: T): void {
    this.waiting.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.running < this.limits.maxParallel && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.limits.maxSize);
      this.running++;
      // handle() settles every item itself; a rejection here would be a bug in it.
      void this.handle(batch).finally(() => {
        this.running--;
        this.startBatches();
      });
    }
  }
}
