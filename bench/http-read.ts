import { randomBytes } from 'node:crypto';
import type { Cleanup } from './support/cleanup.js';
import { type ChildServer, startChildServer } from './support/child-server.js';
import { type Comparison, compare } from './support/comparison.js';
import { type LoadSettings, measureRequestsPerSecond } from './support/load.js';
import { progress } from './support/progress.js';
import { assertOnlyErrorRequestsLogged } from './support/request-logs.js';

export interface HttpReadSettings {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  load: LoadSettings;
}

const HELLO_SERVER = new URL('./servers/hello-server.js', import.meta.url);
const OSV_SERVER = new URL('./servers/osv-server.js', import.meta.url);

/** GET /api/v1/tenant with a learner's sk_ key against a bare Express hello route, one server at a time. */
export async function measureHttpTenantRead(settings: HttpReadSettings, cleanup: Cleanup): Promise<Comparison> {
  progress(`http: bare express hello, ${settings.load.connections} connections, ${settings.load.durationSeconds} s`);
  const baseline = await withServer(HELLO_SERVER, { NODE_ENV: 'production' }, cleanup, (server) =>
    measureRequestsPerSecond(`${server.url}/`, server.headers, settings.load),
  );
  progress(`http: bare express ${Math.round(baseline)} req/s`);

  progress('http: osv GET /api/v1/tenant');
  const value = await withServer(OSV_SERVER, osvEnvironment(settings), cleanup, async (server) => {
    const requestsPerSecond = await measureRequestsPerSecond(`${server.url}/api/v1/tenant`, server.headers, settings.load);
    await assertOnlyErrorRequestsLogged(server);
    return requestsPerSecond;
  });
  progress(`http: osv ${Math.round(value)} req/s (no request was logged at level info)`);
  return compare(value, baseline, 'req/s');
}

/** A production-like configuration: info logs, Redis-backed rate limits set too high to throttle. */
function osvEnvironment(settings: HttpReadSettings): Record<string, string> {
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

async function withServer<T>(script: URL, env: Record<string, string>, cleanup: Cleanup, use: (server: ChildServer) => Promise<T>): Promise<T> {
  const server = await startChildServer(script, env);
  const stop = cleanup.add(`stop ${script.pathname}`, server.stop);
  try {
    return await use(server);
  } finally {
    await stop();
  }
}
