import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineMigration, definePlugin } from '../../../core/plugin-api.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { countOf, JOB_MODES, outboxRows, untilStatus } from '../../support/jobs.js';

/** Handler calls per payload key, including calls whose transaction later rolled back. */
const calls = new Map<string, number>();

const probe = definePlugin({
  manifest: { id: 'tx-probe', name: 'Transactional enqueue probe', version: '1.0.0', coreRange: '>=0.1.0 <1.0.0' },
  migrations: [
    defineMigration({
      name: '0001-effects',
      async up({ sql }) {
        await sql(`CREATE TABLE tx_probe_effects (
          id bigserial PRIMARY KEY,
          tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
          job_id bigint NOT NULL,
          key text NOT NULL
        )`);
      },
    }),
  ],
  register(ctx) {
    ctx.jobs.define('record', async (job, tx) => {
      const { key } = job.payload as { key: string };
      calls.set(key, (calls.get(key) ?? 0) + 1);
      await ctx.db.forTenant(job.tenantId!).insert(ctx.db.table('effects'), { job_id: job.id, key }, tx);
    });
  },
});

const effects = (platform: TestPlatform, key: string) =>
  countOf(platform.kernel, 'SELECT count(*) FROM tx_probe_effects WHERE key = $1', [key]);

describe.each(JOB_MODES)('enqueueing in a transaction ($mode)', ({ redis }) => {
  let platform: TestPlatform;
  let acme: Tenancy;

  beforeAll(async () => {
    platform = await startTestPlatform({ redis, plugins: [probe] });
    acme = await createTenant(platform.kernel, 'acme');
    await platform.kernel.plugins.setEnabled(acme.tenantId, 'tx-probe', true);
  });
  afterAll(() => platform?.close());

  it('never runs a job whose transaction rolled back; runs a committed one exactly once', async () => {
    const { kernel } = platform;
    const rolledBack = `${redis}-rolled-back`;
    const committed = `${redis}-committed`;
    await expect(
      kernel.db.transaction(async (transaction) => {
        await kernel.jobs.enqueue('tx-probe:record', { key: rolledBack }, { tenantId: acme.tenantId, transaction });
        throw new Error('the business write failed');
      }),
    ).rejects.toThrow('the business write failed');
    const id = await kernel.db.transaction((transaction) =>
      kernel.jobs.enqueue('tx-probe:record', { key: committed }, { tenantId: acme.tenantId, transaction }),
    );

    const done = await untilStatus(kernel, id, 'done');
    expect(done.attempts).toBe(1);
    expect(await effects(platform, committed)).toBe(1);
    expect(calls.get(committed)).toBe(1);
    // The rolled-back job left no outbox row behind, so nothing can ever run it.
    const rows = await outboxRows(kernel, 'tx-probe:record');
    expect(rows.map((row) => (row.payload as { key: string }).key)).toEqual([committed]);
    expect(await effects(platform, rolledBack)).toBe(0);
    expect(calls.get(rolledBack)).toBeUndefined();
  });

  it('runs each of many committed jobs exactly once while two kernels compete for them', async () => {
    const second = await platform.restart();
    const { kernel } = platform;
    const keys = Array.from({ length: 40 }, (_, index) => `${redis}-many-${index}`);
    const ids = await kernel.db.transaction((transaction) =>
      kernel.jobs.enqueueMany(
        keys.map((key) => ({ name: 'tx-probe:record', payload: { key } })),
        { tenantId: acme.tenantId, transaction },
      ),
    );
    // Both kernels are nudged or polling; the second also enqueues, so both dispatchers are busy.
    const extra = await second.jobs.enqueue('tx-probe:record', { key: `${redis}-many-extra` }, { tenantId: acme.tenantId });
    keys.push(`${redis}-many-extra`);
    ids.push(extra);

    await eventually(async () => {
      const pending = await countOf(kernel, `SELECT count(*) FROM outbox WHERE id = ANY($1::bigint[]) AND status <> 'done'`, [ids]);
      return pending === 0;
    });
    const perKey = await countOf(
      kernel,
      'SELECT count(*) FROM (SELECT key FROM tx_probe_effects WHERE key = ANY($1::text[]) GROUP BY key HAVING count(*) = 1) once',
      [keys],
    );
    expect(perKey).toBe(keys.length);
    expect(await countOf(kernel, 'SELECT count(*) FROM tx_probe_effects WHERE key = ANY($1::text[])', [keys])).toBe(keys.length);
    // Not even a duplicate attempt reached the handler (a duplicate would wait on the row lock and skip).
    expect(keys.map((key) => calls.get(key))).toEqual(keys.map(() => 1));
  });
});
