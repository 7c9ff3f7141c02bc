import type { Redis } from 'ioredis';
import { type IRateLimiterOptions, RateLimiterMemory, type RateLimiterAbstract, RateLimiterRedis } from 'rate-limiter-flexible';

export interface FailureThrottleOptions {
  redis?: Redis;
  /** Redis key prefix, e.g. `<OSV_QUEUE_PREFIX>:login`. */
  keyPrefix: string;
  /** Failures admitted before the first block. */
  freeFailures: number;
  /** The first block; each further failure doubles it, up to `maxBlockSeconds`. */
  firstBlockSeconds: number;
  maxBlockSeconds: number;
  /** Failures are counted in windows this long, starting at the first failure. */
  forgetAfterSeconds: number;
}

/** Shared through Redis when there is one (falling back to this process's memory when it fails), else in-process. */
function limiter(options: FailureThrottleOptions, limits: Pick<IRateLimiterOptions, 'points' | 'duration' | 'keyPrefix'>): RateLimiterAbstract {
  if (!options.redis) return new RateLimiterMemory(limits);
  return new RateLimiterRedis({ ...limits, storeClient: options.redis, insuranceLimiter: new RateLimiterMemory(limits) });
}

/**
 * Failed attempts per key (an account, an IP): a few are free, then every further failure blocks
 * the key for twice as long as the previous one. A blocked key is refused without being checked.
 */
export class FailureThrottle {
  private readonly failures: RateLimiterAbstract;
  private readonly blocks: RateLimiterAbstract;

  constructor(private readonly options: FailureThrottleOptions) {
    this.failures = limiter(options, { keyPrefix: `${options.keyPrefix}:failures`, points: Number.MAX_SAFE_INTEGER, duration: options.forgetAfterSeconds });
    this.blocks = limiter(options, { keyPrefix: `${options.keyPrefix}:blocked`, points: 1, duration: options.maxBlockSeconds });
  }

  /** How long the key is still blocked, in milliseconds; 0 when it may try. */
  async blockedForMs(key: string): Promise<number> {
    const block = await this.blocks.get(key);
    return block && block.consumedPoints > 1 ? block.msBeforeNext : 0;
  }

  /** Counts a failure; answers how long the key is now blocked, in milliseconds (0: not blocked). */
  async failed(key: string): Promise<number> {
    const { consumedPoints } = await this.failures.consume(key);
    const excess = consumedPoints - this.options.freeFailures;
    if (excess <= 0) return 0;
    const seconds = Math.min(this.options.firstBlockSeconds * 2 ** Math.min(excess - 1, 30), this.options.maxBlockSeconds);
    await this.blocks.block(key, seconds);
    return seconds * 1000;
  }

  async succeeded(key: string): Promise<void> {
    await Promise.all([this.failures.delete(key), this.blocks.delete(key)]);
  }
}

/**
 * Sign-in per account (tenant and email, known or not): five free failures, then 5 s, 10 s, 20 s…
 * up to 15 minutes. Per account rather than per IP, so an attacker behind a shared proxy address
 * cannot lock everyone out, and one spread over many addresses is still slowed down.
 */
export function signInThrottle(redis: Redis | undefined, queuePrefix: string): FailureThrottle {
  return new FailureThrottle({ redis, keyPrefix: `${queuePrefix}:signin`, freeFailures: 5, firstBlockSeconds: 5, maxBlockSeconds: 900, forgetAfterSeconds: 3600 });
}

/** Refused credentials (unknown keys, bad tokens) per client IP: 30 free in 10 minutes, then a minute, doubling up to 15. */
export function refusedCredentialThrottle(redis: Redis | undefined, queuePrefix: string): FailureThrottle {
  return new FailureThrottle({ redis, keyPrefix: `${queuePrefix}:refused`, freeFailures: 30, firstBlockSeconds: 60, maxBlockSeconds: 900, forgetAfterSeconds: 600 });
}
