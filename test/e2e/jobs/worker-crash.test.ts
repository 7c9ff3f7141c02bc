import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { CHILD_JOB_LOCK_MS, crashProbePlugin, startWorkerProcess, type WorkerProcess } from '../../support/job-worker-process.js';
import { countOf, JOB_MODES, outboxRow, untilStatus } from '../../support/jobs.js';

describe.each(JOB_MODES)('a worker killed mid-job ($mode)', ({ redis }) => {
  let platform: TestPlatform;
  let acme: Tenancy;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    // This process only enqueues (and, with Redis, dispatches): the job itself runs in the worker process.
    platform = await startTestPlatform({ redis, plugins: [crashProbePlugin({ hang: false })], kernel: { runWorkers: false } });
    acme = await createTenant(platform.kernel, 'acme');
    await platform.kernel.plugins.setEnabled(acme.tenantId, 'crash-probe', true);
  });
  afterAll(async () => {
    await worker?.kill();
    await platform?.close();
  });

  it('completes the job exactly once after a restart', async () => {
    const { kernel } = platform;
    worker = await startWorkerProcess(platform.env);
    const id = await kernel.jobs.enqueue('crash-probe:work', {}, { tenantId: acme.tenantId });

    const [, blockedId] = await worker.waitFor(/^BLOCKED (\d+)$/);
    expect(blockedId).toBe(id);
    // The worker wrote its effect but has not committed: nothing is visible, the row is not done.
    expect(await countOf(kernel, 'SELECT count(*) FROM crash_probe_effects')).toBe(0);
    expect((await outboxRow(kernel, id)).status).toBe(redis ? 'dispatched' : 'pending');

    await worker.kill();
    // With BullMQ the new worker must notice the dead worker's lock has lapsed (stalled-job check).
    const next = await platform.restart({ kernel: { runWorkers: true, jobLockMs: CHILD_JOB_LOCK_MS } });

    const done = await untilStatus(next, id, 'done', 15_000);
    // In-process mode counts the crashed attempt durably (so a job that kills its process cannot loop forever).
    expect(done.attempts).toBe(redis ? 1 : 2);
    const effects = await countOf(kernel, 'SELECT count(*) FROM crash_probe_effects WHERE job_id = $1', [id]);
    expect(effects).toBe(1);
    expect(await countOf(kernel, 'SELECT count(*) FROM crash_probe_effects WHERE pid = $1', [worker.pid])).toBe(0);
    if (redis) {
      const job = await next.transport!.queue('default').getJob(`ob-${id}`);
      expect(await job?.getState()).toBe('completed');
    }
  });
});
