import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../../core/db/database.js';
import { JobRunner } from '../../../core/jobs/job-runner.js';
import { countOf } from '../../support/jobs.js';
import { startTestPlatform, type TestPlatform } from '../../support/harness.js';

const JOB = 'test:effect';
/** Handler calls per key, including calls whose transaction was rolled back. */
const calls = new Map<string, number>();

let platform: TestPlatform;
let runner: JobRunner;

beforeAll(async () => {
  // No workers: this file drives the runner itself, the way a BullMQ worker slot does.
  platform = await startTestPlatform({ kernel: { runWorkers: false } });
  const { kernel } = platform;
  await execute(kernel.db, 'CREATE TABLE batch_effects (key text PRIMARY KEY, txid bigint NOT NULL DEFAULT txid_current())');
  kernel.jobRegistry.define({
    name: JOB,
    batch: true,
    handler: async (job, tx) => {
      const { key } = job.payload as { key: string };
      calls.set(key, (calls.get(key) ?? 0) + 1);
      await execute(kernel.db, 'INSERT INTO batch_effects (key) VALUES ($1)', [key], tx);
      if (key.startsWith('poison')) throw new Error('poisoned');
    },
  });
  runner = new JobRunner({
    db: kernel.db,
    jobDb: kernel.db,
    registry: kernel.jobRegistry,
    isPluginEnabled: (tenantId, pluginId) => kernel.plugins.isEnabled(tenantId, pluginId),
    metrics: kernel.metrics,
    log: kernel.log,
    countsAttemptsUpfront: false,
    backoffMs: 1000,
  });
});
afterAll(() => platform?.close());

async function enqueue(keys: string[]): Promise<string[]> {
  return platform.kernel.jobs.enqueueMany(keys.map((key) => ({ name: JOB, payload: { key } })));
}

const transactionsOf = (keys: string[]) =>
  countOf(platform.kernel, 'SELECT count(DISTINCT txid) FROM batch_effects WHERE key = ANY($1::text[])', [keys]);

describe('batch jobs in the runner', () => {
  it('runs jobs that arrive together in one transaction, each exactly once', async () => {
    const keys = Array.from({ length: 20 }, (_, index) => `together-${index}`);
    const ids = await enqueue(keys);
    expect(await Promise.all(ids.map((id) => runner.run(id, JOB)))).toEqual(ids.map(() => 'done'));
    expect(await transactionsOf(keys)).toBe(1);
    expect(keys.map((key) => calls.get(key))).toEqual(keys.map(() => 1));
    // Delivered again (a redelivery after a crash, say): nothing runs twice.
    expect(await Promise.all(ids.map((id) => runner.run(id, JOB)))).toEqual(ids.map(() => 'skipped'));
    expect(keys.map((key) => calls.get(key))).toEqual(keys.map(() => 1));
  });

  it('rolls a failing batch back and runs each job alone, so only the failing one fails', async () => {
    const keys = ['mate-1', 'poison-1', 'mate-2', 'mate-3'];
    const ids = await enqueue(keys);
    const results = await Promise.allSettled(ids.map((id) => runner.run(id, JOB)));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('poisoned');

    const mates = keys.filter((key) => key.startsWith('mate'));
    expect(await countOf(platform.kernel, 'SELECT count(*) FROM batch_effects WHERE key = ANY($1::text[])', [keys])).toBe(mates.length);
    // mate-1 ran before the poison in the batch and was rolled back with it; all then ran alone.
    expect(mates.map((key) => calls.get(key))).toEqual([2, 1, 1]);
    expect(await transactionsOf(mates)).toBe(mates.length);
    const statuses = await countOf(platform.kernel, `SELECT count(*) FROM outbox WHERE id = ANY($1::bigint[]) AND status = 'done'`, [ids]);
    expect(statuses).toBe(mates.length);
  });
});
