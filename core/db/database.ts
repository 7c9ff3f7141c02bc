import { QueryTypes, Sequelize, type Transaction } from 'sequelize';
import type { Logger } from '../logger.js';
import { StartupError } from '../startup-error.js';

export type { Transaction };
export type Db = Sequelize;

export interface ConnectOptions {
  poolMax: number;
  /** How long a query waits for a free connection before failing (ConnectionAcquireTimeoutError). */
  acquireTimeoutMs?: number;
  /** `synchronous_commit = off` for this pool's sessions (see the job runner for why that is safe there). */
  asyncCommit?: boolean;
}

export function connectDatabase(url: string, options: ConnectOptions, log: Logger): Db {
  return new Sequelize(url, {
    dialect: 'postgres',
    dialectOptions: options.asyncCommit ? { options: '-c synchronous_commit=off' } : {},
    logging: (sql) => log.trace({ sql }, 'sql'),
    pool: { max: options.poolMax, min: 0, idle: 10_000, acquire: options.acquireTimeoutMs ?? 30_000 },
    define: { underscored: true, timestamps: false },
  });
}

/** Plain parameterised SQL returning rows; `$1`-style bind parameters only, never string concatenation. */
export async function selectRows<T extends object>(
  db: Db,
  sql: string,
  bind: unknown[] = [],
  transaction?: Transaction,
): Promise<T[]> {
  return db.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction });
}

export async function selectOne<T extends object>(
  db: Db,
  sql: string,
  bind: unknown[] = [],
  transaction?: Transaction,
): Promise<T | undefined> {
  const [row] = await selectRows<T>(db, sql, bind, transaction);
  return row;
}

/** Runs INSERT/UPDATE/DELETE (with optional RETURNING) and gives back the returned rows and count. */
export async function execute<T extends object = Record<string, unknown>>(
  db: Db,
  sql: string,
  bind: unknown[] = [],
  transaction?: Transaction,
): Promise<{ rows: T[]; count: number }> {
  const [rows, result] = (await db.query(sql, { bind, transaction, raw: true })) as [T[], { rowCount?: number }];
  return { rows, count: result?.rowCount ?? rows.length };
}

/** Fails with what to check when the database cannot be reached, instead of a driver's stack trace. */
export async function verifyConnection(db: Db, url: string, source: string): Promise<void> {
  try {
    await db.authenticate({ logging: false });
  } catch (error) {
    const { hostname, port } = new URL(url);
    const reason = (error as { parent?: Error }).parent?.message ?? (error as Error).message;
    throw new StartupError(
      `Cannot reach the database of ${source} at ${hostname}:${port || 5432} (${reason}). ` +
        `Check that PostgreSQL runs there and that ${source} is right${source === 'DATABASE_URL' ? ', or unset it to use the embedded PostgreSQL' : ''}.`,
    );
  }
}
