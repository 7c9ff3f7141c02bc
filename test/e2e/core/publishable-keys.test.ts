import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../../core/plugin-api.js';
import { firstPartyPlugins } from '../../../plugins/index.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

const showcase = definePlugin({
  manifest: {
    id: 'showcase',
    name: 'Showcase',
    version: '1.0.0',
    coreRange: '>=0.1.0',
    capabilities: { 'showcase:browse': { description: 'Browse public items', defaultRoles: ['guest', 'learner'] } },
  },
  register(ctx) {
    ctx.http.route({
      method: 'get',
      path: '/items',
      summary: 'Public items',
      access: 'showcase:browse',
      handler: ({ principal }) => ({ kind: principal!.kind, tenantId: principal!.tenantId, widgets: principal!.scope }),
    });
  },
});

const SITE = 'https://www.acme.edu';
let platform: TestPlatform;
let acme: Tenancy;
let globex: Tenancy;
let key: { id: string; key: string };

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: [...firstPartyPlugins, showcase] });
  acme = await createTenant(platform.kernel, 'acme');
  globex = await createTenant(platform.kernel, 'globex');
  for (const tenant of [acme, globex]) {
    for (const plugin of ['showcase', 'example']) await platform.kernel.plugins.setEnabled(tenant.tenantId, plugin, true);
  }
  const created = await platform.http
    .post('/api/v1/admin/publishable-keys')
    .set('Authorization', acme.admin)
    .send({ name: 'main site', allowedOrigins: [SITE], allowedWidgets: ['osv-catalog'] });
  expect(created.status).toBe(201);
  key = created.body;
});
afterAll(() => platform?.close());

const items = (query = `key=${key.key}`) => platform.http.get(`/api/v1/plugins/showcase/items?${query}`);

describe('publishable keys', () => {
  it('let an allowed site read public routes as a guest of the tenant, with CORS for that origin', async () => {
    const response = await items().set('Origin', SITE);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ kind: 'publishable', tenantId: acme.tenantId, widgets: ['osv-catalog'] });
    expect(response.headers['access-control-allow-origin']).toBe(SITE);
    const preflight = await platform.http
      .options(`/api/v1/plugins/showcase/items?key=${key.key}`)
      .set('Origin', SITE)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(preflight.headers['access-control-allow-origin']).toBe(SITE);
  });

  it('refuse an unlisted origin readably: no credentials, no data, the reason for the widget to show', async () => {
    const preflight = await platform.http
      .options(`/api/v1/plugins/showcase/items?key=${key.key}`)
      .set('Origin', 'https://copycat.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const response = await items().set('Origin', 'https://copycat.example');
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBe('https://copycat.example');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(Object.keys(response.body)).toEqual(['error']);
    expect(response.body.error.code).toBe('OSV_ERR_ORIGIN_NOT_ALLOWED');
  });

  it('give guests only what guests may do', async () => {
    const notes = await platform.http.get(`/api/v1/plugins/example/notes?key=${key.key}`).set('Origin', SITE);
    expect(notes.status).toBe(403);
    expect((await platform.http.get(`/api/v1/admin/keys?key=${key.key}`)).status).toBe(403);
  });

  it('refuse unknown keys and a member token from another tenant', async () => {
    expect((await items('key=pk_doesnotexist0000000')).body.error.code).toBe('OSV_ERR_BAD_PUBLISHABLE_KEY');
    const globexSite = (await platform.kernel.credentials.createApiKey(globex.tenantId, { name: 'site', role: 'admin' })).secret;
    const token = await platform.http.post('/api/v1/auth/embed-token').set('Authorization', `Bearer ${globexSite}`).send({ userId: 'u1' });
    const mixed = await items().set('Authorization', `Bearer ${token.body.token}`);
    expect(mixed.status).toBe(403);
  });

  it('validate origins when created', async () => {
    const response = await platform.http
      .post('/api/v1/admin/publishable-keys')
      .set('Authorization', acme.admin)
      .send({ name: 'x', allowedOrigins: ['https://www.acme.edu/courses'] });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].field).toBe('body.allowedOrigins.0');
  });

  it('stop working at once when revoked', async () => {
    await platform.http.delete(`/api/v1/admin/publishable-keys/${key.id}`).set('Authorization', acme.admin).expect(204);
    const response = await items().set('Origin', SITE);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('OSV_ERR_BAD_PUBLISHABLE_KEY');
    const listed = await platform.http.get('/api/v1/admin/publishable-keys').set('Authorization', acme.admin);
    expect(listed.body[0].revoked_at).not.toBeNull();
    expect((await platform.http.get('/api/v1/admin/publishable-keys').set('Authorization', globex.admin)).body).toEqual([]);
  });
});
