import { afterEach, describe, expect, it } from 'vitest';
import type { Kernel } from '../../../core/kernel.js';
import { defineMigration, definePlugin } from '../../../core/plugin-api.js';
import { createTenant, eventually, startTestPlatform, type TestPlatform } from '../../support/harness.js';
import { countOf, outboxRow, untilStatus } from '../../support/jobs.js';

/** Handler calls per outbox id, including any whose transaction rolled back. */
const calls = new Map<string, number>();

const probe = definePlugin({
  manifest: { id: 'envelope-probe', name: 'Envelope probe', version: '1.0.0', coreRange: '>=0.1.0 <1.0.0' },
  migrations: [
    defineMigration({
      name: '0001-effects',
      async up({ sql }) {
        await sql(`CREATE TABLE envelope_probe_effects (
          id bigserial PRIMARY KEY,
          tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
          job_id bigint NOT NULL
        )`);
      },
    }),
  ],
  register(ctx) {
    ctx.jobs.define('work', async (job, tx) => {
      calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
      await ctx.db.forTenant(job.tenantId!).insert(ctx.db.table('effects'), { job_id: job.id }, tx);
      if ((job.payload as { failFirst?: boolean }).failFirst && job.attempt === 1) throw new Error('first attempt refused');
    });
  },
});

let platform: TestPlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
  calls.clear();
});

async function setUp(runWorkers: boolean) {
  platform = await startTestPlatform({ redis: true, plugins: [probe], kernel: { runWorkers, jobBackoffMs: 100 } });
  const acme = await createTenant(platform.kernel, 'acme');
  await platform.kernel.plugins.setEnabled(acme.tenantId, 'envelope-probe', true);
  return { platform, tenantId: acme.tenantId };
}

async function effectsPerJob(kernel: Kernel, ids: string[]): Promise<number[]> {
  return Promise.all(ids.map((id) => countOf(kernel, 'SELECT count(*) FROM envelope_probe_effects WHERE job_id = $1', [id])));
}

describe('BullMQ envelopes', () => {
  it('carry a backlog in one envelope per worker slot of the lane, and run every job once', async () => {
    const { platform, tenantId } = await setUp(false);
    const ids = await platform.kernel.jobs.enqueueMany(
      Array.from({ length: 320 }, (_, n) => ({ name: 'envelope-probe:work', payload: { n } })),
      { tenantId },
    );
    await eventually(async () => (await countOf(platform.kernel, `SELECT count(*) FROM outbox WHERE status = 'dispatched'`)) === ids.length);
    // The default lane runs 32 envelopes at once: 320 jobs travel as 32 BullMQ jobs of 10.
    const waiting = await platform.kernel.transport!.queue('default').getJobs(['waiting']);
    expect(waiting).toHaveLength(32);
    expect(waiting.map((job) => job.data.jobs.length)).toEqual(waiting.map(() => 10));

    const worker = await platform.restart({ kernel: { runWorkers: true } });
    for (const id of ids) await untilStatus(worker, id, 'done');
    expect(await effectsPerJob(worker, ids)).toEqual(ids.map(() => 1));
    expect(ids.map((id) => calls.get(id))).toEqual(ids.map(() => 1));
  });

  it('retries a failed job alone after its backoff while its envelope mates commit', async () => {
    const { platform, tenantId } = await setUp(true);
    // Committed together, dispatched together: 128 jobs in 32 envelopes of 4.
    const ids = await platform.kernel.jobs.enqueueMany(
      Array.from({ length: 128 }, (_, n) => ({ name: 'envelope-probe:work', payload: { n, failFirst: n === 5 } })),
      { tenantId },
    );
    const failing = ids[5]!;

    for (const id of ids) await untilStatus(platform.kernel, id, 'done');
    const retried = await outboxRow(platform.kernel, failing);
    expect(retried.attempts).toBe(2);
    expect(retried.last_error).toBe('first attempt refused');
    for (const id of ids) expect((await outboxRow(platform.kernel, id)).attempts).toBe(id === failing ? 2 : 1);
    expect(await effectsPerJob(platform.kernel, ids)).toEqual(ids.map(() => 1));
    const retry = await platform.kernel.transport!.queue('default').getJob(`ob-${failing}-retry1`);
    expect(retry?.data.jobs).toEqual([{ id: failing, name: 'envelope-probe:work', attempts: 1 }]);
  });
});
