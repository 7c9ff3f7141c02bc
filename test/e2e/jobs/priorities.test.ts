import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineMigration, definePlugin } from '../../../core/plugin-api.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { countOf, outboxRows } from '../../support/jobs.js';

/** As many jobs per lane as the in-process runner runs at once, so its first pick is a whole lane. */
const PER_LANE = 8;

/**
 * Email handlers hold their slot until every email has started, so no slot frees before the runner
 * has picked every email (the 5 s cap only keeps a broken runner from hanging the test).
 */
let emailsStarted = 0;
let allEmailsStarted: () => void = () => undefined;
const emailsRunning = new Promise<void>((resolve) => {
  allEmailsStarted = resolve;
});

const probe = definePlugin({
  manifest: { id: 'lane-probe', name: 'Queue lane probe', version: '1.0.0', coreRange: '>=0.1.0 <1.0.0' },
  migrations: [
    defineMigration({
      name: '0001-starts',
      async up({ sql }) {
        // The serial is drawn when the handler inserts, i.e. in the order handlers started, whatever the commit order.
        await sql(`CREATE TABLE lane_probe_starts (
          seq bigserial PRIMARY KEY,
          tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
          lane text NOT NULL
        )`);
      },
    }),
  ],
  register(ctx) {
    const starts = ctx.db.table('starts');
    ctx.jobs.define(
      'notify',
      async (job, tx) => {
        await ctx.db.forTenant(job.tenantId!).insert(starts, { lane: 'emails' }, tx);
        emailsStarted += 1;
        if (emailsStarted === PER_LANE) allEmailsStarted();
        await Promise.race([emailsRunning, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      },
      { queue: 'emails' },
    );
    ctx.jobs.define(
      'reindex',
      async (job, tx) => {
        await ctx.db.forTenant(job.tenantId!).insert(starts, { lane: 'low' }, tx);
      },
      { queue: 'low' },
    );
  },
});

describe('queue priorities with the in-process runner', () => {
  let platform: TestPlatform;
  let acme: Tenancy;

  beforeAll(async () => {
    // Room for the runner's 8 concurrent job transactions (the harness default pool is 5).
    platform = await startTestPlatform({ redis: false, plugins: [probe], env: { DATABASE_POOL_MAX: '12' } });
    acme = await createTenant(platform.kernel, 'acme');
    await platform.kernel.plugins.setEnabled(acme.tenantId, 'lane-probe', true);
  });
  afterAll(() => platform?.close());

  it('runs waiting emails jobs before low ones, even when the low ones were enqueued first', async () => {
    const { kernel } = platform;
    // Hold the dispatcher so that both lanes are waiting together when it looks.
    await kernel.dispatcher.stop();
    const tenantId = acme.tenantId;
    await kernel.jobs.enqueueMany(Array.from({ length: PER_LANE }, () => ({ name: 'lane-probe:reindex', payload: {} })), { tenantId });
    await kernel.jobs.enqueueMany(Array.from({ length: PER_LANE }, () => ({ name: 'lane-probe:notify', payload: {} })), { tenantId });
    const [low, emails] = [await outboxRows(kernel, 'lane-probe:reindex'), await outboxRows(kernel, 'lane-probe:notify')];
    expect(Math.max(...low.map((row) => Number(row.id)))).toBeLessThan(Math.min(...emails.map((row) => Number(row.id))));
    expect(emails[0]!.priority).toBeGreaterThan(low[0]!.priority);

    kernel.dispatcher.start();
    await eventually(async () => (await countOf(kernel, `SELECT count(*) FROM outbox WHERE status = 'done'`)) === 2 * PER_LANE);

    const order = await countOf(
      kernel,
      `SELECT count(*) FROM lane_probe_starts e, lane_probe_starts l WHERE e.lane = 'emails' AND l.lane = 'low' AND e.seq > l.seq`,
    );
    // No emails job started after any low job.
    expect(order).toBe(0);
    expect(await countOf(kernel, 'SELECT count(*) FROM lane_probe_starts')).toBe(2 * PER_LANE);
  });
});
