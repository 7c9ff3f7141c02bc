import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../../core/db/database.js';
import { OUTBOX_PURGE_JOB } from '../../../core/jobs/outbox-retention.js';
import { eventually, startTestPlatform, type TestPlatform } from '../../support/harness.js';
import { countOf, outboxRows, untilStatus } from '../../support/jobs.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ env: { OSV_OUTBOX_RETENTION_HOURS: '24' } });
  platform.kernel.jobRegistry.define({ name: 'test:noop', handler: async () => {} });
});
afterAll(() => platform?.close());

describe('outbox retention', () => {
  it('deletes finished jobs older than the retention, keeps recent and dead ones, and reschedules itself', async () => {
    const { kernel } = platform;
    const [old, recent, dead] = await kernel.jobs.enqueueMany([1, 2, 3].map((n) => ({ name: 'test:noop', payload: { n } })));
    for (const id of [old!, recent!, dead!]) await untilStatus(kernel, id, 'done');
    await execute(kernel.db, `UPDATE outbox SET completed_at = now() - interval '25 hours' WHERE id = ANY($1::bigint[])`, [[old, dead]]);
    await execute(kernel.db, `UPDATE outbox SET status = 'dead' WHERE id = $1`, [dead]);

    // Start-up scheduled one purge, an hour ahead; bring it forward.
    const [scheduled] = await outboxRows(kernel, OUTBOX_PURGE_JOB);
    expect(scheduled?.status).toBe('pending');
    await execute(kernel.db, 'UPDATE outbox SET run_at = now() WHERE id = $1', [scheduled!.id]);
    kernel.dispatcher.nudge();
    await untilStatus(kernel, scheduled!.id, 'done');

    const left = await countOf(kernel, 'SELECT count(*) FROM outbox WHERE id = ANY($1::bigint[])', [[old, recent, dead]]);
    expect(left).toBe(2);
    expect(await countOf(kernel, 'SELECT count(*) FROM outbox WHERE id = $1', [old])).toBe(0);
    await eventually(async () => (await outboxRows(kernel, OUTBOX_PURGE_JOB)).some((row) => row.status === 'pending'));
  });
});
