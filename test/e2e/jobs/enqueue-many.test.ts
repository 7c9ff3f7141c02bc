import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../../core/db/database.js';
import { startTestPlatform, type TestPlatform } from '../../support/harness.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ kernel: { runWorkers: false } });
  platform.kernel.jobRegistry.define({ name: 'core:noop', handler: async () => {} });
});
afterAll(() => platform?.close());

describe('enqueueing a batch', () => {
  it('keeps every payload intact and returns the ids in the order given', async () => {
    const payloads = [{ text: 'quo"te, {brace} \\back' }, null, 'plain', [1, { nested: 'a b' }], { ünïcode: 'é\n' }];
    const ids = await platform.kernel.jobs.enqueueMany(payloads.map((payload) => ({ name: 'core:noop', payload })));
    const rows = await selectRows<{ id: string; payload: unknown }>(platform.kernel.db, 'SELECT id, payload FROM outbox ORDER BY id');
    expect(rows.map((row) => String(row.id))).toEqual(ids);
    expect(rows.map((row) => row.payload)).toEqual(payloads);
  });
});
