import type { Db, Transaction } from './database.js';
import { execute, selectRows } from './database.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a valid SQL identifier: ${name}`);
  return `"${name}"`;
}

type Row = Record<string, unknown>;

/**
 * `INSERT INTO t (tenant_id, …) VALUES ($1, …) [ON CONFLICT …] [RETURNING …]`: one row whose tenant
 * is the scope's (values may call functions, one level of parentheses deep).
 */
const SINGLE_ROW_INSERT =
  /^\s*INSERT\s+INTO\s+"?[a-z_][a-z0-9_]*"?\s*\(\s*"?tenant_id"?\s*,[^)]*\)\s*VALUES\s*\(\s*\$1\s*,[^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:(?:ON\s+CONFLICT|RETURNING)\b[\s\S]*)?$/i;

export interface QueryOptions {
  orderBy?: string;
  descending?: boolean;
  limit?: number;
  transaction?: Transaction;
}

/**
 * The only way tenant-owned rows are read or written: every statement it builds is bound to one
 * tenant's id, so forgetting the tenant filter is not possible through it.
 */
export class TenantScope {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  async select<T extends object = Row>(table: string, where: Row = {}, options: QueryOptions = {}): Promise<T[]> {
    const { clause, bind } = this.whereClause(where);
    const order = options.orderBy ? ` ORDER BY ${identifier(options.orderBy)}${options.descending ? ' DESC' : ''}` : '';
    const limit = options.limit ? ` LIMIT ${Math.trunc(options.limit)}` : '';
    return selectRows<T>(this.db, `SELECT * FROM ${identifier(table)} WHERE ${clause}${order}${limit}`, bind, options.transaction);
  }

  async findOne<T extends object = Row>(table: string, where: Row, transaction?: Transaction): Promise<T | undefined> {
    const [row] = await this.select<T>(table, where, { limit: 1, transaction });
    return row;
  }

  async insert<T extends object = Row>(table: string, values: Row, transaction?: Transaction): Promise<T> {
    const entries = Object.entries({ ...values, tenant_id: this.tenantId });
    const columns = entries.map(([column]) => identifier(column)).join(', ');
    const placeholders = entries.map((_, index) => `$${index + 1}`).join(', ');
    const { rows } = await execute<T>(
      this.db,
      `INSERT INTO ${identifier(table)} (${columns}) VALUES (${placeholders}) RETURNING *`,
      entries.map(([, value]) => value),
      transaction,
    );
    return rows[0]!;
  }

  async update<T extends object = Row>(table: string, where: Row, values: Row, transaction?: Transaction): Promise<T[]> {
    const { clause, bind } = this.whereClause(where);
    const assignments = Object.entries(values).filter(([column]) => column !== 'tenant_id');
    if (assignments.length === 0) return [];
    const set = assignments.map(([column], index) => `${identifier(column)} = $${bind.length + index + 1}`).join(', ');
    const { rows } = await execute<T>(
      this.db,
      `UPDATE ${identifier(table)} SET ${set} WHERE ${clause} RETURNING *`,
      [...bind, ...assignments.map(([, value]) => value)],
      transaction,
    );
    return rows;
  }

  async remove(table: string, where: Row, transaction?: Transaction): Promise<number> {
    const { clause, bind } = this.whereClause(where);
    const { count } = await execute(this.db, `DELETE FROM ${identifier(table)} WHERE ${clause}`, bind, transaction);
    return count;
  }

  /**
   * Hand-written SQL for what the helpers above cannot say; `$1` is always this tenant's id. It must
   * filter on `tenant_id = $1`, or be a one-row INSERT whose tenant_id is `$1` (e.g. with ON CONFLICT).
   */
  async query<T extends object = Row>(sql: string, bind: unknown[] = [], transaction?: Transaction): Promise<T[]> {
    if (!/\btenant_id\s*=\s*\$1\b/.test(sql) && !SINGLE_ROW_INSERT.test(sql)) {
      throw new Error('Tenant-scoped SQL must filter on tenant_id = $1 (or insert one row with tenant_id $1)');
    }
    const { rows } = await execute<T>(this.db, sql, [this.tenantId, ...bind], transaction);
    return rows;
  }

  private whereClause(where: Row): { clause: string; bind: unknown[] } {
    const bind: unknown[] = [this.tenantId];
    const conditions = ['"tenant_id" = $1'];
    for (const [column, value] of Object.entries(where)) {
      if (value === null) {
        conditions.push(`${identifier(column)} IS NULL`);
      } else {
        bind.push(value);
        conditions.push(`${identifier(column)} = $${bind.length}`);
      }
    }
    return { clause: conditions.join(' AND '), bind };
  }
}
