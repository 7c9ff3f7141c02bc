import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../support/harness.js';

let platform: TestPlatform;

beforeAll(async () => {
  // Nothing listens on port 1: Redis is configured but unreachable.
  platform = await startTestPlatform({ env: { REDIS_URL: 'redis://127.0.0.1:1' }, kernel: { runWorkers: false } });
});
afterAll(() => platform?.close());

describe('readiness', () => {
  it('stays alive but reports not ready, naming the failing dependency', async () => {
    expect((await platform.http.get('/health')).status).toBe(200);
    const ready = await platform.http.get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database).toBe('ok');
    expect(ready.body.checks.redis).toMatch(/^failing/);
  });
});
