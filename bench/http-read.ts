import type { Cleanup } from './support/cleanup.js';
import { type ChildServer, startChildServer } from './support/child-server.js';
import { type Comparison, compare } from './support/comparison.js';
import { type LoadSettings, measureRequestsPerSecond } from './support/load.js';
import { osvBenchEnvironment } from './support/osv-environment.js';
import { percentile } from './support/percentile.js';
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
  const [osv, stopOsv] = await startServer(OSV_SERVER, osvBenchEnvironment(settings), cleanup);
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
    return compare(percentile(osvRounds, 0.5), percentile(helloRounds, 0.5), 'req/s');
  } finally {
    await stopOsv();
    await stopHello();
  }
}

async function startServer(script: URL, env: Record<string, string>, cleanup: Cleanup): Promise<[ChildServer, () => Promise<void>]> {
  const server = await startChildServer(script, env);
  return [server, cleanup.add(`stop ${script.pathname}`, server.stop)];
}
