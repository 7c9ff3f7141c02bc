import { type Db, selectOne } from '../db/database.js';
import type { JobQueue } from './outbox.js';

/**
 * Housekeeping jobs re-enqueue themselves at the end of each run. This makes sure one run is
 * pending: processes that start together take turns under an advisory lock and schedule it once.
 */
export async function ensureScheduled(deps: { db: Db; jobs: JobQueue }, name: string, delayMs: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await deps.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', { bind: [name], transaction: tx });
    const scheduled = await selectOne(deps.db, `SELECT 1 FROM outbox WHERE name = $1 AND status IN ('pending', 'dispatched') LIMIT 1`, [name], tx);
    if (!scheduled) await deps.jobs.enqueue(name, {}, { delayMs, transaction: tx });
  });
}
