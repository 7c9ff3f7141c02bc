import type { Test } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../../core/db/database.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

const ADMIN_CONSOLE = 'https://admin.acme.edu';
const SITE = 'https://www.acme.edu';
const ATTACKER = 'https://evil.example';

let platform: TestPlatform;
let acme: Tenancy;
let globex: Tenancy;
let ownOrigin: string;
let cookie: string;
let csrfToken: string;
let acmeSiteKey: string;
let globexSiteKey: string;

/**
 * One state-changing route of each kind a cookie session reaches: core admin, LTI admin, plugin;
 * `state` reads what the route changes.
 */
const stateChanges: Array<{ name: string; send: (http: TestPlatform['http']) => Test; done: number; state: () => Promise<unknown> }> = [
  {
    name: 'core admin: disable a plugin',
    send: (http) => http.post('/api/v1/admin/plugins/example/disable'),
    done: 204,
    state: () => platform.kernel.plugins.isEnabled(acme.tenantId, 'example'),
  },
  {
    name: 'LTI admin: rotate the signing key',
    send: (http) => http.post('/api/v1/lti/keys/rotate'),
    done: 201,
    state: () => selectRows(platform.kernel.db, 'SELECT kid, status FROM lti_tool_keys WHERE tenant_id = $1 ORDER BY kid', [acme.tenantId]),
  },
  {
    name: 'plugin route: write a note',
    send: (http) => http.post('/api/v1/plugins/example/notes').send({ title: 'from a page' }),
    done: 201,
    state: () => selectRows(platform.kernel.db, 'SELECT id FROM example_notes WHERE tenant_id = $1 ORDER BY id', [acme.tenantId]),
  },
];

beforeAll(async () => {
  platform = await startTestPlatform({ composed: true, env: { OSV_CORS_ORIGINS: ADMIN_CONSOLE } });
  ownOrigin = new URL(platform.kernel.config.PUBLIC_URL).origin;
  acme = await createTenant(platform.kernel, 'acme');
  globex = await createTenant(platform.kernel, 'globex');
  const { password } = await platform.kernel.tenants.createUser(acme.tenantId, { email: 'owner@acme.test', role: 'admin' });
  const login = await platform.http.post('/api/v1/auth/login').send({ tenant: 'acme', email: 'owner@acme.test', password });
  expect(login.status).toBe(200);
  cookie = `osv_session=${login.body.token}`;
  csrfToken = login.body.csrfToken;
  acmeSiteKey = (await platform.kernel.publishableKeys.create(acme.tenantId, { name: 'site', allowedOrigins: [SITE], allowedWidgets: [] })).key;
  globexSiteKey = (await platform.kernel.publishableKeys.create(globex.tenantId, { name: 'site', allowedOrigins: [SITE], allowedWidgets: [] })).key;
});
afterAll(() => platform?.close());

/** Enables the example plugin again so every route can run its state change. */
async function enableExample(): Promise<void> {
  await platform.kernel.plugins.setEnabled(acme.tenantId, 'example', true);
}

describe('CSRF protection of cookie sessions', () => {
  for (const route of stateChanges) {
    it(`refuses ${route.name} from another site, and without any sign of where it comes from`, async () => {
      await enableExample();
      const before = await route.state();
      for (const [header, value] of [
        ['Origin', ATTACKER],
        ['Referer', `${ATTACKER}/page.html`],
        ['Origin', 'null'],
        [undefined, undefined],
      ] as const) {
        let request = route.send(platform.http).set('Cookie', cookie);
        if (header) request = request.set(header, value);
        const response = await request;
        expect(response.status, `${header}: ${value}`).toBe(403);
        expect(response.body.error.code).toBe('OSV_ERR_CSRF');
        expect(response.body.error.message).toMatch(/Osv-Csrf-Token/);
      }
      const crossSite = await route.send(platform.http).set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site').set('Origin', ATTACKER);
      expect(crossSite.status).toBe(403);
      expect(await route.state()).toEqual(before);
    });

    it(`lets ${route.name} through from osv's own pages, the admin console, or with the session's token`, async () => {
      for (const sign of [
        { Origin: ownOrigin },
        { Referer: `${ownOrigin}/admin` },
        { 'Sec-Fetch-Site': 'same-origin' },
        { Origin: ADMIN_CONSOLE },
        { 'Osv-Csrf-Token': csrfToken },
      ]) {
        await enableExample();
        const response = await route.send(platform.http).set('Cookie', cookie).set(sign);
        expect(response.status, JSON.stringify(sign)).toBe(route.done);
      }
    });
  }

  it("refuses another session's token, and needs none for Authorization: Bearer or for reads", async () => {
    await enableExample();
    const { password } = await platform.kernel.tenants.createUser(acme.tenantId, { email: 'other@acme.test', role: 'admin' });
    const other = await platform.http.post('/api/v1/auth/login').send({ tenant: 'acme', email: 'other@acme.test', password });
    const borrowed = await platform.http.post('/api/v1/admin/plugins/example/disable').set('Cookie', cookie).set('Osv-Csrf-Token', other.body.csrfToken);
    expect(borrowed.status).toBe(403);
    expect(borrowed.body.error.code).toBe('OSV_ERR_CSRF');
    const withoutCookie = await platform.http.get('/api/v1/auth/csrf-token').set('Authorization', globex.admin);
    expect(withoutCookie.status).toBe(400);
    const bearer = await platform.http.post('/api/v1/admin/plugins/example/disable').set('Authorization', acme.admin).set('Origin', ATTACKER);
    expect(bearer.status).toBe(204);
    const read = await platform.http.get('/api/v1/admin/plugins').set('Cookie', cookie).set('Origin', ATTACKER);
    expect(read.status).toBe(200);
  });

  it('hands the token of the cookie session to osv pages', async () => {
    const fetched = await platform.http.get('/api/v1/auth/csrf-token').set('Cookie', cookie);
    expect(fetched.status).toBe(200);
    expect(fetched.body.csrfToken).toBe(csrfToken);
  });
});

describe('CORS for cookie sessions', () => {
  it("gives credentialed CORS to the admin console only, never to a publishable key's site", async () => {
    const admin = await platform.http.get('/api/v1/admin/plugins').set('Cookie', cookie).set('Origin', ADMIN_CONSOLE);
    expect(admin.headers['access-control-allow-origin']).toBe(ADMIN_CONSOLE);
    expect(admin.headers['access-control-allow-credentials']).toBe('true');
    const site = await platform.http.get(`/api/v1/admin/plugins?key=${acmeSiteKey}`).set('Cookie', cookie).set('Origin', SITE);
    expect(site.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await platform.http
      .options(`/api/v1/admin/plugins/example/disable?key=${acmeSiteKey}`)
      .set('Origin', SITE)
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it("refuses a session joined with another tenant's publishable key", async () => {
    const mixed = await platform.http.get(`/api/v1/admin/plugins?key=${globexSiteKey}`).set('Cookie', cookie);
    expect(mixed.status).toBe(403);
    expect(mixed.body.error.code).toBe('OSV_ERR_TENANT_MISMATCH');
    const same = await platform.http.get(`/api/v1/admin/plugins?key=${acmeSiteKey}`).set('Cookie', cookie);
    expect(same.status).toBe(200);
  });
});
