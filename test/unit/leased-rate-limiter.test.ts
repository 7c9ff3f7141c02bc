import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { afterAll, describe, expect, it } from 'vitest';
import { LeasedRateLimiter } from '../../core/http/leased-rate-limiter.js';
import { leaseSizeFor } from '../../core/http/rate-limit.js';
import { TEST_REDIS_URL, uniquePrefix } from '../support/databases.js';

const redis = new Redis(TEST_REDIS_URL);
afterAll(() => redis.quit());

/** Two limiters on one Redis counter stand for two osv processes. */
function twoProcesses(points: number, leaseSize: number) {
  const keyPrefix = uniquePrefix('rl');
  const process = () => new LeasedRateLimiter(new RateLimiterRedis({ storeClient: redis, points, duration: 60, keyPrefix }), points, leaseSize);
  return [process(), process()] as const;
}

describe('leased rate limits', () => {
  it('admits exactly the limit across processes that take their points in leases', async () => {
    const [first, second] = twoProcesses(1000, 10);
    let admitted = 0;
    let refusedInARow = 0;
    for (let request = 0; refusedInARow < 4; request++) {
      const decision = await (request % 3 === 0 ? first : second).consume('key-1');
      if (decision.allowed) {
        admitted++;
        refusedInARow = 0;
      } else {
        refusedInARow++;
        expect(decision.retryAfterMs).toBeGreaterThan(0);
      }
    }
    expect(admitted).toBe(1000);
  });

  it('never admits more than the limit when requests race', async () => {
    const [first, second] = twoProcesses(300, 7);
    const decisions = await Promise.all(Array.from({ length: 600 }, (_, i) => (i % 2 ? first : second).consume('key-2')));
    const admitted = decisions.filter((decision) => decision.allowed).length;
    expect(admitted).toBeLessThanOrEqual(300);
    expect(admitted).toBeGreaterThanOrEqual(300 - 7);
  });

  it('keeps small limits exact and counts other keys apart', async () => {
    expect(leaseSizeFor(20)).toBe(1);
    expect(leaseSizeFor(600)).toBe(6);
    expect(leaseSizeFor(1_000_000)).toBe(50);
    const [limiter] = twoProcesses(3, leaseSizeFor(3));
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await limiter.consume('key-3')).allowed);
    expect(results).toEqual([true, true, true, false]);
    expect((await limiter.consume('key-4')).allowed).toBe(true);
  });
});
