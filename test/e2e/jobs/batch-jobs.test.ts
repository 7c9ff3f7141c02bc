import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineMigration, definePlugin } from '../../../core/plugin-api.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { countOf, JOB_MODES, outboxRows } from '../../support/jobs.js';

const probe = definePlugin({
  manifest: { id: 'batch-probe', name: 'Batch job probe', version: '1.0.0', coreRange: '>=0.1.0 <1.0.0' },
  migrations: [
    defineMigration({
      name: '0001-effects',
      async up({ sql }) {
        // txid tells which jobs shared a transaction.
        await sql(`CREATE TABLE batch_probe_effects (
          id bigserial PRIMARY KEY,
          tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
          key text NOT NULL,
          txid bigint NOT NULL DEFAULT txid_current()
        )`);
      },
    }),
  ],
  register(ctx) {
    ctx.jobs.define(
      'record',
      async (job, tx) => {
        const { key } = job.payload as { key: string };
        await ctx.db.forTenant(job.tenantId!).insert(ctx.db.table('effects'), { key }, tx);
        if (key.endsWith('poison')) throw new Error('this job always fails after writing');
      },
      { batch: true, maxAttempts: 1 },
    );
  },
});

describe.each(JOB_MODES)('batch jobs ($mode)', ({ mode, redis }) => {
  let platform: TestPlatform;
  let acme: Tenancy;

  beforeAll(async () => {
    platform = await startTestPlatform({ redis, plugins: [probe] });
    acme = await createTenant(platform.kernel, 'acme');
    await platform.kernel.plugins.setEnabled(acme.tenantId, 'batch-probe', true);
  });
  afterAll(() => platform?.close());

  it('runs each job exactly once; a failing job takes nothing of its batch with it', async () => {
    const { kernel } = platform;
    const keys = Array.from({ length: 60 }, (_, index) => (index === 25 ? `${mode}-poison` : `${mode}-${index}`));
    await kernel.jobs.enqueueMany(
      keys.map((key) => ({ name: 'batch-probe:record', payload: { key } })),
      { tenantId: acme.tenantId },
    );

    await eventually(async () => {
      const unfinished = await countOf(kernel, `SELECT count(*) FROM outbox WHERE name = 'batch-probe:record' AND status NOT IN ('done', 'dead')`);
      return unfinished === 0;
    });
    const rows = await outboxRows(kernel, 'batch-probe:record');
    expect(rows.filter((row) => row.status === 'dead').map((row) => (row.payload as { key: string }).key)).toEqual([`${mode}-poison`]);
    expect(rows.filter((row) => row.status === 'done')).toHaveLength(keys.length - 1);

    const healthy = keys.filter((key) => !key.endsWith('poison'));
    const effectsPerKey = await countOf(
      kernel,
      'SELECT count(*) FROM (SELECT key FROM batch_probe_effects WHERE key = ANY($1::text[]) GROUP BY key HAVING count(*) = 1) once',
      [healthy],
    );
    expect(effectsPerKey).toBe(healthy.length);
    // The poison job's write was rolled back along with its failure.
    expect(await countOf(kernel, 'SELECT count(*) FROM batch_probe_effects WHERE key = $1', [`${mode}-poison`])).toBe(0);

    if (redis) {
      // Jobs that arrived together shared transactions.
      const transactions = await countOf(kernel, 'SELECT count(DISTINCT txid) FROM batch_probe_effects WHERE key = ANY($1::text[])', [healthy]);
      expect(transactions).toBeLessThan(healthy.length);
    }
  });
});
