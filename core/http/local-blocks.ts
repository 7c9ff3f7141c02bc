const MAX_KEYS = 10_000;

/** Keys this process knows to be blocked until some time, so refusing them needs no round trip. */
export class LocalBlocks {
  private readonly until = new Map<string, number>();

  block(key: string, ms: number): void {
    if (this.until.size >= MAX_KEYS) this.dropExpired();
    this.until.set(key, Date.now() + ms);
  }

  remainingMs(key: string): number {
    const until = this.until.get(key);
    if (until === undefined) return 0;
    const remaining = until - Date.now();
    if (remaining <= 0) this.until.delete(key);
    return Math.max(0, remaining);
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
    if (this.until.size >= MAX_KEYS) this.until.clear();
  }
}
