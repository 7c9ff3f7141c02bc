import { QueryTypes, Sequelize, type Transaction } from 'sequelize';
import type { Logger } from '../logger.js';

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
