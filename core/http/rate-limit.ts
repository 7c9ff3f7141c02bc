import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { OsvError } from '../errors.js';

/** Per credential (or per IP when anonymous) requests per minute; shared through Redis when there is one. */
export function rateLimit(options: { pointsPerMinute: number; redis?: Redis; keyPrefix: string }): RequestHandler {
  const limiterOptions = { points: options.pointsPerMinute, duration: 60, keyPrefix: options.keyPrefix };
  const limiter = options.redis
    ? new RateLimiterRedis({ ...limiterOptions, storeClient: options.redis, insuranceLimiter: new RateLimiterMemory(limiterOptions) })
    : new RateLimiterMemory(limiterOptions);
  return async (req, res, next) => {
    const principal = req.principal;
    // Anonymous visitors share a site's publishable key, so they are counted per key and IP.
    const key = principal?.publishableKeyId
      ? `pk:${principal.publishableKeyId}:${req.ip}`
      : (principal?.apiKeyId ?? principal?.userId ?? `ip:${req.ip}`);
    try {
      const result = await limiter.consume(key);
      res.setHeader('RateLimit-Remaining', String(result.remainingPoints));
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      res.setHeader('Retry-After', String(Math.ceil(rejection.msBeforeNext / 1000)));
      throw new OsvError('OSV_ERR_RATE_LIMITED');
    }
  };
}
