import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from '../../../core/plugin-api.js';
import { firstPartyPlugins } from '../../../plugins/index.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

const leaky = definePlugin({
  manifest: {
    id: 'leaky',
    name: 'Leaky',
    version: '1.0.0',
    coreRange: '>=0.1.0',
    capabilities: { 'leaky:read': { description: 'Read', defaultRoles: ['learner'] } },
  },
  register(ctx) {
    ctx.http.route({
      method: 'get',
      path: '/crash',
      summary: 'Fails with an internal error',
      access: 'leaky:read',
      handler: () => {
        throw new Error('connection to db://admin:hunter2@10.0.0.5 refused');
      },
    });
    ctx.http.route({
      method: 'get',
      path: '/echo/:count',
      summary: 'Validates its params and query',
      access: 'leaky:read',
      params: z.object({ count: z.coerce.number().int().max(10) }),
      query: z.object({ word: z.string().min(2) }),
      handler: ({ params, query }) => ({ words: Array(params.count).fill(query.word) }),
    });
  },
});

let platform: TestPlatform;
let acme: Tenancy;

beforeAll(async () => {
  platform = await startTestPlatform({
    redis: true,
    plugins: [...firstPartyPlugins, leaky],
    env: { OSV_RATE_LIMIT_PER_MINUTE: '20', OSV_CORS_ORIGINS: 'https://admin.acme.edu' },
  });
  acme = await createTenant(platform.kernel, 'acme');
  await platform.kernel.plugins.setEnabled(acme.tenantId, 'leaky', true);
});
afterAll(() => platform?.close());

describe('HTTP basics', () => {
  it('reports health, readiness of database, Redis and queue, and Prometheus metrics', async () => {
    const { http } = platform;
    expect((await http.get('/health')).body).toEqual({ status: 'ok' });
    const ready = await http.get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', redis: 'ok', queue: 'ok' });
    await http.get('/api/v1/tenant').set('Authorization', acme.learner);
    const metrics = await http.get('/metrics');
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.text).toMatch(/osv_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/tenant".*status="200"/);
    expect(metrics.text).toContain('osv_jobs_total');
  });

  it('gives every response a request id, keeping a sane incoming one', async () => {
    const { http } = platform;
    const generated = await http.get('/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await http.get('/health').set('X-Request-Id', 'lb-1234');
    expect(kept.headers['x-request-id']).toBe('lb-1234');
    const replaced = await http.get('/health').set('X-Request-Id', 'bad id with spaces <script>');
    expect(replaced.headers['x-request-id']).not.toContain('script');
  });

  it('hides internals of a 5xx but keeps the request id to find it in the log', async () => {
    const response = await platform.http.get('/api/v1/plugins/leaky/crash').set('Authorization', acme.learner);
    expect(response.status).toBe(500);
    expect(response.body.error).toMatchObject({ code: 'OSV_ERR_INTERNAL', message: 'An internal error occurred' });
    expect(response.body.error.requestId).toBe(response.headers['x-request-id']);
    expect(response.text).not.toContain('hunter2');
    expect(response.text).not.toContain('at ');
  });

  it('names the invalid params and query fields', async () => {
    const response = await platform.http.get('/api/v1/plugins/leaky/echo/99?word=a').set('Authorization', acme.learner);
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['params.count', 'query.word']);
    const ok = await platform.http.get('/api/v1/plugins/leaky/echo/2?word=hey').set('Authorization', acme.learner);
    expect(ok.body).toEqual({ words: ['hey', 'hey'] });
  });

  it('answers unknown routes with a JSON 404 and anonymous callers with 401', async () => {
    const missing = await platform.http.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('OSV_ERR_NOT_FOUND');
    const anonymous = await platform.http.get('/api/v1/tenant');
    expect(anonymous.status).toBe(401);
  });

  it('sends security headers and allows CORS only for configured origins', async () => {
    const { http } = platform;
    const allowed = await http.options('/api/v1/tenant').set('Origin', 'https://admin.acme.edu').set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.acme.edu');
    const refused = await http.options('/api/v1/tenant').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const home = await http.get('/');
    expect(home.headers['content-security-policy']).toContain("default-src 'self'");
    expect(home.headers['x-content-type-options']).toBe('nosniff');
    expect(home.headers['x-powered-by']).toBeUndefined();
  });

  it('sends API answers as uncacheable, unframeable JSON, HEAD without a body', async () => {
    const { http } = platform;
    const answer = await http.get('/api/v1/tenant').set('Authorization', acme.learner);
    expect(answer.headers).toMatchObject({
      'cache-control': 'no-store',
      'content-security-policy': "frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(answer.headers['strict-transport-security']).toContain('max-age=');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text));
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    const head = await http.head('/api/v1/tenant').set('Authorization', acme.learner);
    expect(head.status).toBe(200);
    expect(head.text ?? '').toBe('');
    expect(head.headers['content-length']).toBe(answer.headers['content-length']);
  });

  it('serves the home page and an OpenAPI document listing core and plugin routes with their access', async () => {
    const { http } = platform;
    const home = await http.get('/');
    expect(home.text).toContain('Open Study Volt');
    expect(home.text).toContain('href="/api/docs"');
    expect(home.text).toContain('href="/widgets/demo"');
    expect(home.text).toContain('href="/lti/setup"');
    const doc = await http.get('/api/v1/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/api/v1/admin/keys'].post.description).toBe('Access: core:keys.manage');
    expect(doc.body.paths['/api/v1/plugins/example/notes'].get.description).toBe('Access: example:read');
    expect(doc.body.paths['/api/v1/plugins/leaky/echo/{count}'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['count', 'word', 'Osv-Tenant']);
    const viewer = await http.get('/api/docs');
    expect(viewer.text).toContain('swagger-ui-bundle.js');
    expect((await http.get('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('rate-limits per credential through Redis and says when to retry', async () => {
    const { http, kernel } = platform;
    const limited = await kernel.credentials.createApiKey(acme.tenantId, { name: 'chatty', role: 'learner' });
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      statuses.push((await http.get('/api/v1/tenant').set('Authorization', `Bearer ${limited.secret}`)).status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    const refused = await http.get('/api/v1/tenant').set('Authorization', `Bearer ${limited.secret}`);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('OSV_ERR_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another credential has its own budget.
    expect((await http.get('/api/v1/tenant').set('Authorization', acme.instructor)).status).toBe(200);
  });
});
