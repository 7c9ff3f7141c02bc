import pg from 'pg';
import { eventually } from '../../../support/harness.js';

export interface HeldRowLock {
  /** Resolves once `count` sessions wait for this lock (directly, or queued behind another waiter). */
  waitForWaiters(count: number): Promise<void>;
  release(): Promise<void>;
}

/** Locks one row `FOR UPDATE` from a connection of its own (outside osv's pools) until released. */
export async function holdRowLock(databaseUrl: string, table: string, id: string): Promise<HeldRowLock> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`SELECT id FROM "${table}" WHERE id = $1 FOR UPDATE`, [id]);
  return {
    async waitForWaiters(count) {
      await eventually(async () => {
        // pg_stat_activity is read once per transaction unless its snapshot is dropped.
        await client.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await client.query<{ waiting: number }>(
          'SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0',
        );
        return rows[0]!.waiting >= count;
      }, 30_000);
    },
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}
