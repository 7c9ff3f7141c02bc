import { randomBytes } from 'node:crypto';
import type { Cleanup } from './support/cleanup.js';
import { type ChildServer, startChildServer } from './support/child-server.js';
import { type Comparison, compare } from './support/comparison.js';
import { type LoadSettings, measureRequestsPerSecond } from './support/load.js';
import { median } from './support/median.js';
import { progress } from './support/progress.js';
import { assertOnlyErrorRequestsLogged } from './support/request-logs.js';

export interface HttpReadSettings {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  load: LoadSettings;
  rounds: number;
}

const HELLO_SERVER = new URL('./servers/hello-server.js', import.meta.url);
const OSV_SERVER = new URL('./servers/osv-server.js', import.meta.url);

/**
 * GET /api/v1/tenant with a learner's sk_ key against a bare Express hello route. Both servers run
 * side by side and are loaded in turns, several rounds, so a slow moment of the machine hits both;
 * each side's median round counts.
 */
export async function measureHttpTenantRead(settings: HttpReadSettings, cleanup: Cleanup): Promise<Comparison> {
  const [hello, stopHello] = await startServer(HELLO_SERVER, { NODE_ENV: 'production' }, cleanup);
  const [osv, stopOsv] = await startServer(OSV_SERVER, osvEnvironment(settings), cleanup);
  try {
    const helloRounds: number[] = [];
    const osvRounds: number[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      helloRounds.push(await measureRequestsPerSecond(`${hello.url}/`, hello.headers, settings.load));
      osvRounds.push(await measureRequestsPerSecond(`${osv.url}/api/v1/tenant`, osv.headers, settings.load));
      progress(`http round ${round}: bare express ${Math.round(helloRounds.at(-1)!)} req/s, osv ${Math.round(osvRounds.at(-1)!)} req/s`);
    }
    await assertOnlyErrorRequestsLogged(osv);
    progress('http: no osv request was logged at level info');
    return compare(median(osvRounds), median(helloRounds), 'req/s');
  } finally {
    await stopOsv();
    await stopHello();
  }
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

async function startServer(script: URL, env: Record<string, string>, cleanup: Cleanup): Promise<[ChildServer, () => Promise<void>]> {
  const server = await startChildServer(script, env);
  return [server, cleanup.add(`stop ${script.pathname}`, server.stop)];
}
