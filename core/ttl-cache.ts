interface Entry<V> {
  expiresAt: number;
  value: Promise<V>;
  /** Set once the load has succeeded. */
  loaded?: { value: V };
}

/**
 * A small in-process cache of promises with a time to live: concurrent misses share one load, a
 * failed load is not kept, and entries expire so changes made by other processes show up.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const entry: Entry<V> = { expiresAt: now + this.ttlMs, value: load() };
    this.entries.set(key, entry);
    entry.value.then(
      (value) => {
        entry.loaded = { value };
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }

  /**
   * The value when one is loaded and unexpired; never waits for a load in flight (a caller inside a
   * transaction must not wait for a load that needs another pool connection).
   */
  peek(key: K): V | undefined {
    const hit = this.entries.get(key);
    return hit && hit.expiresAt > Date.now() ? hit.loaded?.value : undefined;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
