import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { CHILD_JOB_LOCK_MS, crashProbePlugin, startWorkerProcess, type WorkerProcess } from '../../support/job-worker-process.js';
import { countOf, outboxRow, untilStatus } from '../../support/jobs.js';

/** Envelopes whose worker dies twice mid-run (BullMQ's limit): their jobs must not die with them. */
describe('jobs of an envelope whose worker is killed twice', () => {
  let platform: TestPlatform;
  let acme: Tenancy;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({
      redis: true,
      plugins: [crashProbePlugin({ hang: false })],
      // Every blocked job holds a connection of the worker's job pool.
      env: { DATABASE_POOL_MAX: '20' },
      kernel: { runWorkers: false, jobBackoffMs: 100 },
    });
    acme = await createTenant(platform.kernel, 'acme');
    await platform.kernel.plugins.setEnabled(acme.tenantId, 'crash-probe', true);
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await platform?.close();
  });

  it('go back to the outbox and each runs once, alone, while a lone job is dead-lettered', async () => {
    const { kernel } = platform;
    // 33 jobs committed together travel as 16 envelopes of 2 and one of 1 (the last job).
    const ids = await kernel.jobs.enqueueMany(Array.from({ length: 33 }, (_, n) => ({ name: 'crash-probe:work', payload: { n } })), { tenantId: acme.tenantId });
    await eventually(async () => (await countOf(kernel, `SELECT count(*) FROM outbox WHERE status = 'dispatched'`)) === ids.length);
    const envelopes = await kernel.transport!.queue('default').getJobs(['waiting']);
    expect(envelopes.map((envelope) => envelope.data.jobs.length).sort()).toEqual([...Array(16).fill(2), 1].sort());
    const firstMembers = envelopes.map((envelope) => envelope.data.jobs[0].id as string);
    const lone = envelopes.find((envelope) => envelope.data.jobs.length === 1)!.data.jobs[0].id as string;
    expect(lone).toBe(ids.at(-1));
    const mates = ids.filter((id) => id !== lone);

    // Each worker blocks in the first job of every envelope, then dies.
    for (let crash = 1; crash <= 2; crash++) {
      const worker = await startWorkerProcess(platform.env);
      workers.push(worker);
      for (const id of firstMembers) await worker.waitFor(new RegExp(`^BLOCKED ${id}$`));
      await worker.kill();
    }

    const next = await platform.restart({ kernel: { runWorkers: true, jobLockMs: CHILD_JOB_LOCK_MS } });
    for (const id of mates) await untilStatus(next, id, 'done', 20_000);
    // One attempt counted for the lost envelope, one for the run that committed.
    for (const id of mates) expect((await outboxRow(next, id)).attempts).toBe(2);
    const effects = await countOf(next, 'SELECT count(DISTINCT job_id) FROM crash_probe_effects WHERE job_id = ANY($1::bigint[])', [mates]);
    expect(effects).toBe(mates.length);
    expect(await countOf(next, 'SELECT count(*) FROM crash_probe_effects')).toBe(mates.length);
    // A job that took its worker down twice on its own is the culprit: dead-lettered, as in worker-crash-twice.
    expect((await untilStatus(next, lone, 'dead')).last_error).toBe('job stalled more than allowable limit');
    expect(await countOf(next, 'SELECT count(*) FROM dead_letters')).toBe(1);
    const retry = await next.transport!.queue('default').getJob(`ob-${mates[0]}-retry1`);
    expect(await retry?.getState()).toBe('completed');
  });
});
