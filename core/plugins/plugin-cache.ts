import type { Redis } from 'ioredis';

/** A plugin's cache: JSON values with a time to live, under keys only that plugin sees. */
export interface PluginCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Shared by every process through Redis when there is one. While Redis is away the cache is
 * skipped: every read misses and writes are dropped, so callers compute the value themselves.
 * (A delete lost that way leaves the old value until its time to live ends.)
 */
export class RedisCache implements PluginCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const value = await this.whenReachable(() => this.redis.get(this.prefix + key));
    return value === null || value === undefined ? undefined : (JSON.parse(value) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.whenReachable(() => this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds))));
  }

  async delete(key: string): Promise<void> {
    await this.whenReachable(() => this.redis.del(this.prefix + key));
  }

  private async whenReachable<T>(command: () => Promise<T>): Promise<T | undefined> {
    if (this.redis.status !== 'ready') return undefined;
    return command().catch(() => undefined);
  }
}

/** The embedded default: one process, bounded, values copied so callers cannot mutate what is cached. */
export class MemoryCache implements PluginCache {
  private readonly entries = new Map<string, { expiresAt: number; json: string }>();

  constructor(
    private readonly prefix: string,
    private readonly maxEntries = 10_000,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(this.prefix + key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(this.prefix + key);
      return undefined;
    }
    return JSON.parse(entry.json) as T;
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(this.prefix + key, { expiresAt: Date.now() + ttlSeconds * 1000, json: JSON.stringify(value) });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(this.prefix + key);
  }
}

/** One cache per plugin id, in Redis when the platform has it, in this process otherwise. */
export function pluginCache(options: { redis?: Redis; keyPrefix: string; pluginId: string }): PluginCache {
  const prefix = `${options.keyPrefix}:cache:${options.pluginId}:`;
  return options.redis ? new RedisCache(options.redis, prefix) : new MemoryCache(prefix);
}
