import pg from 'pg';
import type { Cleanup } from './cleanup.js';
import { type ChildServer, startChildServer } from './child-server.js';
import { osvBenchEnvironment } from './osv-environment.js';

const COMMERCE_SERVER = new URL('../servers/commerce-server.js', import.meta.url);
export const PUBLIC_URL = 'http://bench.osv.local';

export interface CommerceServer {
  server: ChildServer;
  tenantId: string;
  signingKey: string;
  pool: pg.Pool;
}

/** osv with the enrollment plugin enabled for one tenant, plus a pool on its database for setup and baselines. */
export async function startCommerceServer(
  settings: { databaseUrl: string; redisUrl: string; queuePrefix: string; tenant: string; poolMax: number },
  cleanup: Cleanup,
): Promise<CommerceServer & { stop(): Promise<void> }> {
  const environment = osvBenchEnvironment(settings);
  const signingKey = environment.OSV_SIGNING_KEY!;
  const server = await startChildServer(COMMERCE_SERVER, {
    ...environment,
    PUBLIC_URL,
    DATABASE_POOL_MAX: String(settings.poolMax),
    BENCH_TENANT: settings.tenant,
  });
  const stopServer = cleanup.add(`stop commerce server (${settings.tenant})`, server.stop);
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.poolMax });
  const endPool = cleanup.add(`close pool (${settings.tenant})`, () => pool.end());
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [settings.tenant]);
  return {
    server,
    tenantId: rows[0]!.id,
    signingKey,
    pool,
    async stop() {
      await endPool();
      await stopServer();
    },
  };
}
