import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../../core/db/database.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { crashProbePlugin } from '../../support/job-worker-process.js';
import { countOf, untilStatus } from '../../support/jobs.js';

describe('a job that keeps killing its in-process worker', () => {
  let platform: TestPlatform;
  let acme: Tenancy;

  beforeAll(async () => {
    platform = await startTestPlatform({ plugins: [crashProbePlugin({ hang: false })], kernel: { runWorkers: false } });
    acme = await createTenant(platform.kernel, 'acme');
    await platform.kernel.plugins.setEnabled(acme.tenantId, 'crash-probe', true);
  });
  afterAll(() => platform?.close());

  it('is dead-lettered instead of taking the service down on every start', async () => {
    const { kernel } = platform;
    const id = await kernel.jobs.enqueue('crash-probe:work', {}, { tenantId: acme.tenantId });
    // As left behind by processes that died while running it, each attempt counted before it ran.
    await execute(kernel.db, 'UPDATE outbox SET attempts = max_attempts WHERE id = $1', [id]);

    const next = await platform.restart({ kernel: { runWorkers: true } });
    const dead = await untilStatus(next, id, 'dead', 10_000);
    expect(dead.last_error).toMatch(/stopped its process before finishing/);
    expect(await countOf(next, 'SELECT count(*) FROM crash_probe_effects WHERE job_id = $1', [id])).toBe(0);
    expect(await countOf(next, 'SELECT count(*) FROM dead_letters WHERE outbox_id = $1', [id])).toBe(1);
  });
});
