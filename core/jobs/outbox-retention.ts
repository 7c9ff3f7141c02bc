import { type Db, execute, type Transaction } from '../db/database.js';
import type { JobQueue } from './outbox.js';

export const OUTBOX_PURGE_JOB = 'core:outbox-purge';
export const OUTBOX_PURGE_INTERVAL_MS = 3_600_000;
/** Rows deleted per run, so a run never holds many locks for long; after a full chunk it runs again at once. */
const CHUNK = 5_000;

/**
 * Deletes finished outbox rows once they are older than the retention: the outbox would otherwise
 * keep a row per job forever. Dead jobs stay (the dead-letter view points at them).
 */
export function outboxPurgeJob(deps: { db: Db; jobs: JobQueue; retentionHours: number }) {
  return async (_job: unknown, tx: Transaction): Promise<void> => {
    const { count } = await execute(
      deps.db,
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE status = 'done' AND completed_at < now() - make_interval(hours => $1::int) LIMIT ${CHUNK}
       )`,
      [deps.retentionHours],
      tx,
    );
    await deps.jobs.enqueue(OUTBOX_PURGE_JOB, {}, { delayMs: count === CHUNK ? 0 : OUTBOX_PURGE_INTERVAL_MS, transaction: tx });
  };
}
