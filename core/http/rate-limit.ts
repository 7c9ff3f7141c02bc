import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { OsvError } from '../errors.js';
import { LeasedRateLimiter, type RateDecision } from './leased-rate-limiter.js';

/** Up to 1% of a limit (at most 50 points) is leased at a time; small limits are counted exactly. */
export function leaseSizeFor(pointsPerMinute: number): number {
  return Math.min(50, Math.max(1, Math.floor(pointsPerMinute / 100)));
}

export interface LimiterOptions {
  points: number;
  /** Seconds per window. */
  duration: number;
  keyPrefix: string;
  /** Seconds a key stays refused once it went over the limit. */
  blockDuration?: number;
  redis?: Redis;
}

/**
 * A limit shared by every process through Redis, counted in this process while Redis is away (the
 * request goes on at once, never waiting for Redis), or in this process only without Redis.
 */
export function sharedLimiter(options: LimiterOptions): RateLimiterAbstract {
  const { redis, ...limits } = options;
  if (!redis) return new RateLimiterMemory(limits);
  return new RateLimiterRedis({ ...limits, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(limits) });
}

/** Per credential (or per IP when anonymous) requests per minute; shared through Redis when there is one. */
export function rateLimit(options: { pointsPerMinute: number; redis?: Redis; keyPrefix: string }): RequestHandler {
  const points = options.pointsPerMinute;
  const shared = sharedLimiter({ points, duration: 60, keyPrefix: options.keyPrefix, redis: options.redis });
  const limiter = new LeasedRateLimiter(shared, points, options.redis ? leaseSizeFor(points) : 1);
  const admit = (decision: RateDecision, res: Response, next: NextFunction) => {
    if (decision.allowed) {
      res.setHeader('RateLimit-Remaining', String(decision.remaining));
      return next();
    }
    res.setHeader('Retry-After', String(Math.ceil(decision.retryAfterMs / 1000)));
    throw new OsvError('OSV_ERR_RATE_LIMITED');
  };
  // Most requests are decided from this process's lease, without waiting for a promise.
  return (req, res, next) => {
    const decision = limiter.consume(rateKeyOf(req));
    if (decision instanceof Promise) return decision.then((settled) => admit(settled, res, next));
    admit(decision, res, next);
  };
}

/** Per credential; anonymous visitors share a site's publishable key, so they are counted per key and IP. */
function rateKeyOf(req: Request): string {
  const principal = req.principal;
  if (principal?.publishableKeyId) return `pk:${principal.publishableKeyId}:${req.ip}`;
  return principal?.apiKeyId ?? principal?.userId ?? `ip:${req.ip}`;
}
