import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commercePlugins } from '../../support/commerce.js';
import { startTestPlatform, type TestPlatform } from '../../support/harness.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: commercePlugins() });
});
afterAll(() => platform?.close());

type Operation = { security?: Array<Record<string, string[]>>; parameters?: Array<{ name: string; in: string; description?: string }> };

describe('the OpenAPI document', () => {
  it('documents the publishable key (?key= and Osv-Key), where widgets may use it, and the Osv-Tenant header', async () => {
    const { body } = await platform.http.get('/api/v1/openapi.json').expect(200);
    expect(body.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer', description: expect.stringContaining('member access token') },
      publishableKey: { type: 'apiKey', in: 'query', name: 'key', description: expect.stringContaining('Origin') },
      publishableKeyHeader: { type: 'apiKey', in: 'header', name: 'Osv-Key' },
    });
    const catalog: Operation = body.paths['/api/v1/plugins/enrollment/courses'].get;
    expect(catalog.security).toEqual(expect.arrayContaining([{ bearer: [] }, { publishableKey: [] }, { publishableKeyHeader: [] }]));
    // Admin routes take no publishable key, and an owner may name the tenant they act on.
    const keys: Operation = body.paths['/api/v1/admin/publishable-keys'].post;
    expect(keys.security).toEqual([{ bearer: [] }]);
    expect(keys.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Osv-Tenant', in: 'header', description: expect.stringContaining('Platform owners only') })]));
    // A public route needs no credential.
    const webhook: Operation = body.paths['/api/v1/plugins/payments/webhooks/stripe'].post;
    expect(webhook.security).toEqual([]);
    expect((webhook.parameters ?? []).some((parameter) => parameter.name === 'Osv-Tenant')).toBe(false);
  });
});
