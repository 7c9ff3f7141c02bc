import { afterEach, describe, expect, it } from 'vitest';
import { createTenant, eventually, startTestPlatform, type TestPlatform } from '../../support/harness.js';
import { jobEffectProbe } from '../../support/job-effect-probe.js';
import { countOf, outboxRow, untilStatus } from '../../support/jobs.js';

const probe = jobEffectProbe('envelope-probe');

let platform: TestPlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
  probe.calls.clear();
});

async function setUp(runWorkers: boolean) {
  platform = await startTestPlatform({ redis: true, plugins: [probe.plugin], kernel: { runWorkers, jobBackoffMs: 100 } });
  const acme = await createTenant(platform.kernel, 'acme');
  await platform.kernel.plugins.setEnabled(acme.tenantId, probe.plugin.manifest.id, true);
  return { platform, tenantId: acme.tenantId };
}

describe('BullMQ envelopes', () => {
  it('carry a backlog in one envelope per worker slot of the lane, and run every job once', async () => {
    const { platform, tenantId } = await setUp(false);
    const ids = await platform.kernel.jobs.enqueueMany(
      Array.from({ length: 320 }, (_, n) => ({ name: probe.jobName, payload: { n } })),
      { tenantId },
    );
    await eventually(async () => (await countOf(platform.kernel, `SELECT count(*) FROM outbox WHERE status = 'dispatched'`)) === ids.length);
    // The default lane runs 32 envelopes at once: 320 jobs travel as 32 BullMQ jobs of 10.
    const waiting = await platform.kernel.transport!.queue('default').getJobs(['waiting']);
    expect(waiting).toHaveLength(32);
    expect(waiting.map((job) => job.data.jobs.length)).toEqual(waiting.map(() => 10));

    const worker = await platform.restart({ kernel: { runWorkers: true } });
    for (const id of ids) await untilStatus(worker, id, 'done');
    expect(await probe.effectsPerJob(worker, ids)).toEqual(ids.map(() => 1));
    expect(ids.map((id) => probe.calls.get(id))).toEqual(ids.map(() => 1));
  });

  it('retries a failed job alone after its backoff while its envelope mates commit', async () => {
    const { platform, tenantId } = await setUp(true);
    // Committed together, dispatched together: 128 jobs in 32 envelopes of 4.
    const ids = await platform.kernel.jobs.enqueueMany(
      Array.from({ length: 128 }, (_, n) => ({ name: probe.jobName, payload: { n, failFirst: n === 5 } })),
      { tenantId },
    );
    const failing = ids[5]!;

    for (const id of ids) await untilStatus(platform.kernel, id, 'done');
    const retried = await outboxRow(platform.kernel, failing);
    expect(retried.attempts).toBe(2);
    expect(retried.last_error).toBe('first attempt refused');
    for (const id of ids) expect((await outboxRow(platform.kernel, id)).attempts).toBe(id === failing ? 2 : 1);
    expect(await probe.effectsPerJob(platform.kernel, ids)).toEqual(ids.map(() => 1));
    const retry = await platform.kernel.transport!.queue('default').getJob(`ob-${failing}-retry1`);
    expect(retry?.data.jobs).toEqual([{ id: failing, name: probe.jobName, attempts: 1 }]);
  });
});
