import { coreMigrations } from '../../migrations/index.js';
import type { Config } from '../config.js';
import { connectDatabase, type Db, selectRows, verifyConnection } from '../db/database.js';
import { attachEmbeddedPostgres } from '../db/embedded-postgres.js';
import type { MigrationUnit } from '../db/migrator.js';
import type { Logger } from '../logger.js';
import { loadPlatformSecrets, type PlatformSecrets } from '../secrets.js';
import { TenantService } from '../tenancy/tenants.js';

/**
 * What an admin command runs against: the platform's database and secrets, nothing more (no HTTP
 * app, no workers, no plugins). Beside a running server it shares that server's embedded
 * PostgreSQL; otherwise it starts the embedded one for the command.
 */
export interface CommandContext {
  config: Config;
  log: Logger;
  db: Db;
  secrets: PlatformSecrets;
  tenants: TenantService;
}

export async function withCommandContext<T>(
  config: Config,
  log: Logger,
  schema: MigrationUnit[],
  work: (context: CommandContext) => Promise<T>,
): Promise<T> {
  const embedded = config.DATABASE_URL ? undefined : await attachEmbeddedPostgres(config.OSV_DATA_DIR, config.OSV_EMBEDDED_PG_PORT, log);
  const url = config.DATABASE_URL ?? embedded!.url;
  const db = connectDatabase(url, { poolMax: 2 }, log);
  try {
    await verifyConnection(db, url, config.DATABASE_URL ? 'DATABASE_URL' : 'the embedded PostgreSQL');
    await applyPendingMigrations(db, [{ unit: 'core', migrations: coreMigrations }, ...schema], log);
    const secrets = await loadPlatformSecrets(config);
    return await work({ config, log, db, secrets, tenants: new TenantService(db) });
  } finally {
    await db.close();
    await embedded?.stop();
  }
}

/** A fresh database gets its schema; an up-to-date one costs one query (the migrator loads only when needed). */
async function applyPendingMigrations(db: Db, units: MigrationUnit[], log: Logger): Promise<void> {
  const applied = await selectRows<{ name: string }>(db, 'SELECT name FROM osv_migrations').catch(() => []);
  const names = new Set(applied.map((row) => row.name));
  const pending = units.filter((unit) => unit.migrations.some((migration) => !names.has(`${unit.unit}/${migration.name}`)));
  if (pending.length === 0) return;
  const { migrateUp } = await import('../db/migrator.js');
  for (const unit of pending) await migrateUp(db, unit, log);
}
