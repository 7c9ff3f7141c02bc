import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineMigration, definePlugin } from '../../../core/plugin-api.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { countOf, JOB_MODES, untilStatus } from '../../support/jobs.js';

/**
 * Short for tests, yet well above the time a failed attempt takes to be recorded: BullMQ schedules
 * the retry before our `failed` listener writes to the outbox, and a retry that overtook that write
 * would leave `attempts` one short.
 */
const BACKOFF_MS = 200;

/** Every call a handler received, per payload key: the attempt number it was told and when. */
const calls = new Map<string, { attempt: number; at: number }[]>();
/** Keys whose `doomed` job has been repaired and now succeeds. */
const repaired = new Set<string>();

function record(key: string, attempt: number): number {
  const list = [...(calls.get(key) ?? []), { attempt, at: Date.now() }];
  calls.set(key, list);
  return list.length;
}

const probe = definePlugin({
  manifest: { id: 'retry-probe', name: 'Retry probe', version: '1.0.0', coreRange: '>=0.1.0 <1.0.0' },
  migrations: [
    defineMigration({
      name: '0001-effects',
      async up({ sql }) {
        await sql(`CREATE TABLE retry_probe_effects (
          id bigserial PRIMARY KEY,
          tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
          key text NOT NULL
        )`);
      },
    }),
  ],
  register(ctx) {
    const effects = ctx.db.table('effects');
    ctx.jobs.define('flaky', async (job, tx) => {
      const { key, failures } = job.payload as { key: string; failures: number };
      // The write happens before the failure: a failed attempt must leave nothing behind.
      await ctx.db.forTenant(job.tenantId!).insert(effects, { key }, tx);
      const call = record(key, job.attempt);
      if (call <= failures) throw new Error(`flaky failure ${call}`);
    });
    ctx.jobs.define(
      'doomed',
      async (job, tx) => {
        const { key } = job.payload as { key: string };
        await ctx.db.forTenant(job.tenantId!).insert(effects, { key }, tx);
        record(key, job.attempt);
        if (!repaired.has(key)) throw new Error('doomed: the remote side refused');
      },
      { maxAttempts: 3 },
    );
  },
});

describe.each(JOB_MODES)('retries and dead letters ($mode)', ({ mode, redis }) => {
  let platform: TestPlatform;
  let acme: Tenancy;
  let globex: Tenancy;

  const effects = (key: string) => countOf(platform.kernel, 'SELECT count(*) FROM retry_probe_effects WHERE key = $1', [key]);

  beforeAll(async () => {
    platform = await startTestPlatform({ redis, plugins: [probe], kernel: { jobBackoffMs: BACKOFF_MS } });
    acme = await createTenant(platform.kernel, 'acme');
    globex = await createTenant(platform.kernel, 'globex');
    for (const tenant of [acme, globex]) await platform.kernel.plugins.setEnabled(tenant.tenantId, 'retry-probe', true);
  });
  afterAll(() => platform?.close());

  it('retries a failing handler with growing delays until it succeeds, then it is done', async () => {
    const key = `${mode}-flaky`;
    const id = await platform.kernel.jobs.enqueue('retry-probe:flaky', { key, failures: 2 }, { tenantId: acme.tenantId });

    const row = await untilStatus(platform.kernel, id, 'done');
    const seen = calls.get(key)!;
    expect(seen.map((call) => call.attempt)).toEqual([1, 2, 3]);
    expect(row.attempts).toBe(3);
    // Only the successful attempt's write survived.
    expect(await effects(key)).toBe(1);
    // Exponential backoff: at least base, then 2 × base between attempts (a little slack for timer rounding).
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(BACKOFF_MS - 10);
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 10);
    expect(await countOf(platform.kernel, 'SELECT count(*) FROM dead_letters WHERE outbox_id = $1', [id])).toBe(0);
  });

  it('dead-letters a job that fails every attempt; its tenant admin lists and retries it exactly once', async () => {
    const key = `${mode}-doomed`;
    const id = await platform.kernel.jobs.enqueue('retry-probe:doomed', { key }, { tenantId: acme.tenantId });

    const dead = await untilStatus(platform.kernel, id, 'dead');
    expect(dead.attempts).toBe(3);
    expect(dead.last_error).toBe('doomed: the remote side refused');
    expect(calls.get(key)!.map((call) => call.attempt)).toEqual([1, 2, 3]);
    expect(await effects(key)).toBe(0);

    const listed = await platform.http.get('/api/v1/admin/jobs/dead-letters').set('Authorization', acme.admin);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    const [letter] = listed.body;
    expect(letter).toMatchObject({
      outbox_id: id,
      queue: 'default',
      name: 'retry-probe:doomed',
      payload: { key },
      error: 'doomed: the remote side refused',
      attempts: 3,
      retried_at: null,
    });

    // Another tenant's admin neither sees nor retries it; a learner may not look at all.
    const foreign = await platform.http.get('/api/v1/admin/jobs/dead-letters').set('Authorization', globex.admin);
    expect(foreign.status).toBe(200);
    expect(foreign.body).toEqual([]);
    const foreignRetry = await platform.http.post(`/api/v1/admin/jobs/dead-letters/${letter.id}/retry`).set('Authorization', globex.admin);
    expect(foreignRetry.status).toBe(404);
    const learner = await platform.http.get('/api/v1/admin/jobs/dead-letters').set('Authorization', acme.learner);
    expect(learner.status).toBe(403);

    repaired.add(key);
    // A double click: the two retries race for the dead letter, exactly one wins.
    const retryOnce = () => platform.http.post(`/api/v1/admin/jobs/dead-letters/${letter.id}/retry`).set('Authorization', acme.admin);
    const racing = await Promise.all([retryOnce(), retryOnce()]);
    expect(racing.map((response) => response.status).sort()).toEqual([202, 409]);
    const retry = racing.find((response) => response.status === 202)!;
    const retried = await untilStatus(platform.kernel, retry.body.outboxId, 'done');
    expect(retried.attempts).toBe(1);
    expect(calls.get(key)).toHaveLength(4);
    expect(await effects(key)).toBe(1);

    const again = await retryOnce();
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OSV_ERR_CONFLICT');
    const after = await platform.http.get('/api/v1/admin/jobs/dead-letters').set('Authorization', acme.admin);
    expect(after.body).toHaveLength(1);
    expect(after.body[0].retried_at).not.toBeNull();
    expect(calls.get(key)).toHaveLength(4);
    expect(await countOf(platform.kernel, `SELECT count(*) FROM outbox WHERE name = 'retry-probe:doomed'`)).toBe(2);
  });
});
