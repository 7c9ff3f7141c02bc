import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_VERSION } from '../../../core/version.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

const METRICS_TOKEN = 'metrics-token-for-the-scraper-0123456789';
const VISITOR = '203.0.113.5';

let development: TestPlatform;
let production: TestPlatform;
let unconfigured: TestPlatform;
let acme: Tenancy;

beforeAll(async () => {
  // Behind a trusted proxy, so a request can come from an address other than loopback.
  [development, production, unconfigured] = await Promise.all([
    startTestPlatform({ env: { NODE_ENV: 'development', OSV_TRUST_PROXY: 'true' } }),
    startTestPlatform({ env: { NODE_ENV: 'production', OSV_TRUST_PROXY: 'true', OSV_METRICS_TOKEN: METRICS_TOKEN } }),
    startTestPlatform({ env: { NODE_ENV: 'production' } }),
  ]);
  acme = await createTenant(development.kernel, 'acme');
});
afterAll(() => Promise.all([development?.close(), production?.close(), unconfigured?.close()]));

function expectDetails(html: string): void {
  expect(html).toContain(CORE_VERSION);
  expect(html).toMatch(/embedded PostgreSQL|external PostgreSQL/);
  expect(html).toContain('<h2>Plugins</h2>');
  expect(html).toContain('enrollment');
}

function expectNoDetails(html: string): void {
  expect(html).not.toContain(CORE_VERSION);
  expect(html).not.toMatch(/PostgreSQL|BullMQ|in-process/);
  expect(html).not.toContain('<h2>Plugins</h2>');
  expect(html).not.toContain('/metrics');
  expect(html).toContain('href="/api/docs"');
}

describe('the home page', () => {
  it('shows a developer on loopback what is running', async () => {
    const home = await development.http.get('/');
    expect(home.status).toBe(200);
    expectDetails(home.text);
  });

  it('tells a visitor from elsewhere only where to go, and shows details to a signed-in admin', async () => {
    const anonymous = await development.http.get('/').set('X-Forwarded-For', VISITOR);
    expect(anonymous.status).toBe(200);
    expectNoDetails(anonymous.text);
    const session = `osv_session=${acme.admin.slice('Bearer '.length)}`;
    expectDetails((await development.http.get('/').set('X-Forwarded-For', VISITOR).set('Cookie', session)).text);
    const { password } = await development.kernel.tenants.createUser(acme.tenantId, { email: 'teacher@acme.test', role: 'instructor' });
    const teacher = await development.http.post('/api/v1/auth/login').send({ tenant: 'acme', email: 'teacher@acme.test', password });
    expectNoDetails((await development.http.get('/').set('X-Forwarded-For', VISITOR).set('Cookie', `osv_session=${teacher.body.token}`)).text);
  });

  it('shows no details in production, even on loopback', async () => {
    expectNoDetails((await production.http.get('/')).text);
  });
});

describe('/metrics', () => {
  it('is open to a developer on loopback and closed to other addresses', async () => {
    const local = await development.http.get('/metrics');
    expect(local.status).toBe(200);
    expect(local.text).toContain('osv_http_request_duration_seconds');
    const remote = await development.http.get('/metrics').set('X-Forwarded-For', VISITOR);
    expect(remote.status).toBe(401);
    expect(remote.text).not.toContain('osv_');
  });

  it('needs the bearer token in production, from anywhere', async () => {
    for (const request of [production.http.get('/metrics'), production.http.get('/metrics').set('Authorization', 'Bearer wrong-token')]) {
      const refused = await request;
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('OSV_ERR_UNAUTHENTICATED');
      expect(refused.body.error.message).toMatch(/Authorization: Bearer <OSV_METRICS_TOKEN>/);
    }
    const scraped = await production.http.get('/metrics').set('X-Forwarded-For', VISITOR).set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('osv_http_request_duration_seconds');
  });

  it('says how to open it when production has no token configured', async () => {
    const refused = await unconfigured.http.get('/metrics');
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/OSV_METRICS_TOKEN to be set/);
  });
});
