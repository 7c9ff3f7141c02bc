import { selectOne, selectRows } from '../../core/db/database.js';
import type { Kernel } from '../../core/kernel.js';

/** The two ways jobs run: BullMQ workers on Redis, or the dispatcher running them in-process from the outbox. */
export const JOB_MODES = [
  { mode: 'BullMQ', redis: true },
  { mode: 'in-process', redis: false },
] as const;

export interface OutboxRow {
  id: string;
  tenant_id: string | null;
  queue: string;
  name: string;
  payload: unknown;
  priority: number;
  status: 'pending' | 'dispatched' | 'done' | 'dead';
  attempts: number;
  max_attempts: number;
  last_error: string | null;
}

export async function outboxRow(kernel: Kernel, id: string): Promise<OutboxRow> {
  const row = await selectOne<OutboxRow>(kernel.db, 'SELECT * FROM outbox WHERE id = $1', [id]);
  if (!row) throw new Error(`no outbox row ${id}`);
  return { ...row, id: String(row.id) };
}

export async function outboxRows(kernel: Kernel, name: string): Promise<OutboxRow[]> {
  const rows = await selectRows<OutboxRow>(kernel.db, 'SELECT * FROM outbox WHERE name = $1 ORDER BY id', [name]);
  return rows.map((row) => ({ ...row, id: String(row.id) }));
}

/** `SELECT count(*) …` as a number. */
export async function countOf(kernel: Kernel, sql: string, bind: unknown[] = []): Promise<number> {
  const row = await selectOne<{ count: string }>(kernel.db, sql, bind);
  return Number(row?.count ?? 0);
}

/** Resolves once the outbox row has the status (fails after the timeout). */
export async function untilStatus(kernel: Kernel, id: string, status: OutboxRow['status'], timeoutMs?: number): Promise<OutboxRow> {
  let last: OutboxRow | undefined;
  const deadline = Date.now() + (timeoutMs ?? 10_000);
  for (;;) {
    last = await outboxRow(kernel, id);
    if (last.status === status) return last;
    if (Date.now() > deadline) throw new Error(`outbox row ${id} is ${last.status}, not ${status} (last error: ${last.last_error})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
