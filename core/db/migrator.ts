import { QueryTypes } from 'sequelize';
import { Umzug, type UmzugStorage } from 'umzug';
import type { Logger } from '../logger.js';
import type { Db, Transaction } from './database.js';
import type { Migration, MigrationContext } from './migration-api.js';

const LEDGER = 'osv_migrations';
/** One advisory lock for every schema change: concurrent starts apply each migration once. */
const MIGRATION_LOCK_KEY = 'osv.migrations';

export interface MigrationUnit {
  /** `core` or a plugin id; ledger rows are `<unit>/<migration name>`. */
  unit: string;
  migrations: Migration[];
}

export interface MigrationOutcome {
  applied: string[];
  /** Tables that did not exist before and exist after (for ownership bookkeeping). */
  createdTables: string[];
}

class LedgerStorage implements UmzugStorage<MigrationContext> {
  constructor(
    private readonly db: Db,
    private readonly tx: Transaction,
    private readonly unit: string,
  ) {}

  async logMigration({ name }: { name: string }): Promise<void> {
    await this.db.query(`INSERT INTO ${LEDGER} (name) VALUES ($1)`, { bind: [`${this.unit}/${name}`], transaction: this.tx });
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.db.query(`DELETE FROM ${LEDGER} WHERE name = $1`, { bind: [`${this.unit}/${name}`], transaction: this.tx });
  }

  async executed(): Promise<string[]> {
    const rows = await this.db.query<{ name: string }>(`SELECT name FROM ${LEDGER} WHERE name LIKE $1 ORDER BY name`, {
      bind: [`${this.unit}/%`],
      type: QueryTypes.SELECT,
      transaction: this.tx,
    });
    return rows.map((row) => row.name.slice(this.unit.length + 1));
  }
}

export interface MigrateUpOptions {
  /** Runs in the migration transaction, still under the lock; throwing rolls the whole batch back. */
  beforeCommit?(outcome: MigrationOutcome, tx: Transaction): Promise<void>;
}

/**
 * Applies a unit's pending migrations in one transaction under a Postgres advisory lock: either all
 * of them land (with their ledger rows) or none do.
 */
export async function migrateUp(db: Db, unit: MigrationUnit, log: Logger, options: MigrateUpOptions = {}): Promise<MigrationOutcome> {
  return withMigrationLock(db, async (tx) => {
    const before = await listTables(db, tx);
    const umzug = createUmzug(db, tx, unit, log);
    const applied = (await umzug.up()).map((migration) => migration.name);
    const after = await listTables(db, tx);
    const outcome = { applied, createdTables: after.filter((table) => !before.includes(table)) };
    await options.beforeCommit?.(outcome, tx);
    return outcome;
  });
}

/** Reverts every applied migration of a unit, newest first, in one transaction. */
export async function migrateDownAll(
  db: Db,
  unit: MigrationUnit,
  log: Logger,
  options: { beforeCommit?(tx: Transaction): Promise<void> } = {},
): Promise<string[]> {
  return withMigrationLock(db, async (tx) => {
    const reverted = await createUmzug(db, tx, unit, log).down({ to: 0 });
    await options.beforeCommit?.(tx);
    return reverted.map((migration) => migration.name);
  });
}

export async function pendingMigrations(db: Db, unit: MigrationUnit, log: Logger): Promise<string[]> {
  return withMigrationLock(db, async (tx) => (await createUmzug(db, tx, unit, log).pending()).map((m) => m.name));
}

async function withMigrationLock<T>(db: Db, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', { bind: [MIGRATION_LOCK_KEY], transaction: tx });
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${LEDGER} (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      { transaction: tx },
    );
    return work(tx);
  });
}

function createUmzug(db: Db, tx: Transaction, unit: MigrationUnit, log: Logger) {
  const context: MigrationContext = {
    sql: async (statement, bind) => {
      const [rows] = await db.query(statement, { bind, transaction: tx });
      return rows as unknown[];
    },
  };
  const names = new Set<string>();
  for (const migration of unit.migrations) {
    if (names.has(migration.name)) throw new Error(`${unit.unit}: migration ${migration.name} is listed twice`);
    names.add(migration.name);
  }
  return new Umzug<MigrationContext>({
    migrations: [...unit.migrations]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((migration) => ({
        name: migration.name,
        up: ({ context: ctx }) => migration.up(ctx),
        down: async ({ context: ctx }) => {
          if (!migration.down) throw new Error(`${unit.unit}/${migration.name} cannot be reverted`);
          await migration.down(ctx);
        },
      })),
    context,
    storage: new LedgerStorage(db, tx, unit.unit),
    logger: {
      info: (event) => log.info({ migration: event, unit: unit.unit }, 'migration'),
      warn: (event) => log.warn({ migration: event, unit: unit.unit }, 'migration'),
      error: (event) => log.error({ migration: event, unit: unit.unit }, 'migration'),
      debug: () => undefined,
    },
  });
}

async function listTables(db: Db, tx: Transaction): Promise<string[]> {
  // Aliased on purpose: Sequelize's postgres dialect returns the rows of any statement starting with
  // `SELECT table_name FROM information_schema.tables` as arrays of values, not objects.
  const rows = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`,
    { type: QueryTypes.SELECT, transaction: tx },
  );
  return rows.map((row) => row.name);
}
