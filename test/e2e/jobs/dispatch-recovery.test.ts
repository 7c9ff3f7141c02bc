import { afterEach, describe, expect, it } from 'vitest';
import type { Kernel } from '../../../core/kernel.js';
import { createTenant, eventually, startTestPlatform, type TestPlatform } from '../../support/harness.js';
import { jobEffectProbe } from '../../support/job-effect-probe.js';
import { JOB_MODES, outboxRow, untilStatus } from '../../support/jobs.js';

const probe = jobEffectProbe('dispatch-probe');

let platform: TestPlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
  probe.calls.clear();
});

async function setUp(options: { redis: boolean; runWorkers?: boolean }) {
  platform = await startTestPlatform({ redis: options.redis, plugins: [probe.plugin], kernel: { runWorkers: options.runWorkers ?? true } });
  const acme = await createTenant(platform.kernel, 'acme');
  await platform.kernel.plugins.setEnabled(acme.tenantId, probe.plugin.manifest.id, true);
  return { platform, tenantId: acme.tenantId };
}

async function expectRanOnce(kernel: Kernel, ids: string[]): Promise<void> {
  expect(await probe.effectsPerJob(kernel, ids)).toEqual(ids.map(() => 1));
  expect(ids.map((id) => probe.calls.get(id))).toEqual(ids.map(() => 1));
}

describe.each(JOB_MODES)('rows committed but never dispatched ($mode)', ({ redis }) => {
  it('are dispatched by the next kernel that starts, and run exactly once', async () => {
    const { platform, tenantId } = await setUp({ redis });
    const first = platform.kernel;
    // The process "crashes" right after committing: its dispatcher never gets to the rows.
    await first.dispatcher.stop();
    const ids = await first.db.transaction((transaction) =>
      first.jobs.enqueueMany(
        [1, 2, 3].map((n) => ({ name: probe.jobName, payload: { n } })),
        { tenantId, transaction },
      ),
    );
    for (const id of ids) expect((await outboxRow(first, id)).status).toBe('pending');
    await first.shutdown();

    const next = await platform.restart();
    for (const id of ids) await untilStatus(next, id, 'done');
    await expectRanOnce(next, ids);
  });
});

describe('a row BullMQ already holds while the outbox still says pending', () => {
  it('is re-sent under the same job id and runs exactly once', async () => {
    // No workers yet: the first kernel only writes and dispatches.
    const { platform, tenantId } = await setUp({ redis: true, runWorkers: false });
    const first = platform.kernel;
    await first.dispatcher.stop();
    const id = await first.jobs.enqueue(probe.jobName, {}, { tenantId });
    const row = await outboxRow(first, id);
    // The crash window: BullMQ accepted the job, but the outbox update to 'dispatched' never committed.
    await first.transport!.dispatch([{ id, queue: 'default', name: row.name, attempts: row.attempts }]);
    const queue = first.transport!.queue('default');
    expect(await (await queue.getJob(`ob-${id}`))?.getState()).toBe('waiting');
    expect((await outboxRow(first, id)).status).toBe('pending');
    await first.shutdown();

    // A restarted dispatcher (still without workers) sends the row again: BullMQ keeps the one job.
    const dispatcher = await platform.restart();
    await untilStatus(dispatcher, id, 'dispatched');
    const waiting = dispatcher.transport!.queue('default');
    expect(await waiting.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toEqual({
      waiting: 1,
      active: 0,
      delayed: 0,
      completed: 0,
      failed: 0,
    });

    const worker = await platform.restart({ kernel: { runWorkers: true } });
    await untilStatus(worker, id, 'done');
    await eventually(async () => (await waiting.getJobCounts('completed')).completed === 1);
    expect(await waiting.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      completed: 1,
      failed: 0,
    });
    await expectRanOnce(worker, [id]);
  });
});
