import { randomBytes } from 'node:crypto';

/**
 * How the benchmarks run osv: production mode, info logs, fresh secrets, and rate limits set too
 * high to throttle a single key's load.
 */
export function osvBenchEnvironment(settings: { databaseUrl: string; redisUrl: string; queuePrefix: string }): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    OSV_QUEUE_PREFIX: settings.queuePrefix,
    OSV_RATE_LIMIT_PER_MINUTE: String(1_000_000_000),
    OSV_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    OSV_SIGNING_KEY: randomBytes(32).toString('base64'),
  };
}
