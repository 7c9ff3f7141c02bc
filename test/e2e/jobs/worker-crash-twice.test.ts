import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../../core/kernel.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { CHILD_JOB_LOCK_MS, crashProbePlugin, startWorkerProcess, type WorkerProcess } from '../../support/job-worker-process.js';
import { countOf, JOB_MODES, untilStatus } from '../../support/jobs.js';

/** A job that takes its worker down with it, twice in a row (think: out of memory). */
describe.each(JOB_MODES)('a job whose worker is killed twice ($mode)', ({ redis }) => {
  let platform: TestPlatform;
  let acme: Tenancy;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({ redis, plugins: [crashProbePlugin({ hang: false })], kernel: { runWorkers: false } });
    acme = await createTenant(platform.kernel, 'acme');
    await platform.kernel.plugins.setEnabled(acme.tenantId, 'crash-probe', true);
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await platform?.close();
  });

  const effectsOf = (kernel: Kernel, id: string) => countOf(kernel, 'SELECT count(*) FROM crash_probe_effects WHERE job_id = $1', [id]);

  it(redis ? 'is dead-lettered once BullMQ gives up on it, and runs once when retried' : 'runs exactly once on the next start', async () => {
    const first = await startWorkerProcess(platform.env);
    workers.push(first);
    const id = await platform.kernel.jobs.enqueue('crash-probe:work', {}, { tenantId: acme.tenantId });
    await first.waitFor(new RegExp(`^BLOCKED ${id}$`));

    const booting = startWorkerProcess(platform.env);
    await first.kill();
    const second = await booting;
    workers.push(second);
    await second.waitFor(new RegExp(`^BLOCKED ${id}$`));
    await second.kill();

    const next = await platform.restart({ kernel: { runWorkers: true, jobLockMs: CHILD_JOB_LOCK_MS } });
    if (!redis) {
      // Nothing is left holding the row: it is simply pending again, with both crashed attempts counted.
      const done = await untilStatus(next, id, 'done', 15_000);
      expect(done.attempts).toBe(3);
      expect(await effectsOf(next, id)).toBe(1);
      return;
    }
    // BullMQ fails a job that stalled more than once for good; the outbox must say so rather than
    // keep a 'dispatched' row that nothing will ever run again.
    const dead = await untilStatus(next, id, 'dead', 15_000);
    expect(dead.last_error).toBe('job stalled more than allowable limit');
    expect(await effectsOf(next, id)).toBe(0);
    expect(await (await next.transport!.queue('default').getJob(`ob-${id}`))?.getState()).toBe('failed');

    const app = platform.http;
    const letters = await app.get('/api/v1/admin/jobs/dead-letters').set('Authorization', acme.admin);
    expect(letters.body).toEqual([expect.objectContaining({ outbox_id: id, name: 'crash-probe:work', error: 'job stalled more than allowable limit' })]);
    const retry = await app.post(`/api/v1/admin/jobs/dead-letters/${letters.body[0].id}/retry`).set('Authorization', acme.admin);
    expect(retry.status).toBe(202);
    await untilStatus(next, retry.body.outboxId, 'done');
    expect(await effectsOf(next, retry.body.outboxId)).toBe(1);
  });
});
