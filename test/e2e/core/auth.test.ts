import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

let platform: TestPlatform;
let acme: Tenancy;

beforeAll(async () => {
  platform = await startTestPlatform();
  acme = await createTenant(platform.kernel, 'acme');
});
afterAll(() => platform?.close());

describe('admin login and sessions', () => {
  it('signs in with the right password and answers /me', async () => {
    const { user, password } = await platform.kernel.tenants.createUser(acme.tenantId, { email: 'ana@acme.test', role: 'instructor' });
    const login = await platform.http.post('/api/v1/auth/login').send({ tenant: 'acme', email: 'ANA@acme.test', password });
    expect(login.status).toBe(200);
    expect(login.headers['set-cookie']?.[0]).toMatch(/osv_session=ses_.*HttpOnly/);
    const me = await platform.http.get('/api/v1/me').set('Authorization', `Bearer ${login.body.token}`);
    expect(me.body).toMatchObject({ kind: 'user', role: 'instructor', tenantId: acme.tenantId });
    expect(me.body.capabilities).toContain('core:tenant.read');
    expect(me.body.capabilities).not.toContain('core:keys.manage');
    expect(user.email).toBe('ana@acme.test');
  });

  it('accepts the session cookie and forgets it after logout', async () => {
    const token = acme.admin.slice('Bearer '.length);
    const cookie = `osv_session=${token}`;
    expect((await platform.http.get('/api/v1/tenant').set('Cookie', cookie)).status).toBe(200);
    const sameOrigin = platform.kernel.config.PUBLIC_URL;
    expect((await platform.http.post('/api/v1/auth/logout').set('Cookie', cookie).set('Origin', sameOrigin)).status).toBe(204);
    const after = await platform.http.get('/api/v1/tenant').set('Cookie', cookie);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('OSV_ERR_UNAUTHENTICATED');
    acme = await createTenant(platform.kernel, 'acme-2');
  });

  it('refuses a wrong password, an unknown tenant and an unknown email alike', async () => {
    for (const body of [
      { tenant: 'acme', email: 'admin@acme.test', password: 'wrong' },
      { tenant: 'nope', email: 'admin@acme.test', password: 'wrong' },
      { tenant: 'acme', email: 'who@acme.test', password: 'wrong' },
    ]) {
      const response = await platform.http.post('/api/v1/auth/login').send(body);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('OSV_ERR_BAD_CREDENTIALS');
    }
  });

  it('names the invalid fields of a malformed login', async () => {
    const response = await platform.http.post('/api/v1/auth/login').send({ tenant: 'Bad Slug!', email: 'not-an-email' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('OSV_ERR_VALIDATION');
    const fields = response.body.error.details.map((detail: { field: string }) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['body.tenant', 'body.email', 'body.password']));
  });

  it('refuses a body that is not JSON, and JSON that does not parse', async () => {
    const form = await platform.http.post('/api/v1/auth/login').type('form').send('tenant=acme');
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('OSV_ERR_UNSUPPORTED_MEDIA_TYPE');
    const broken = await platform.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"tenant":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('OSV_ERR_BAD_JSON');
  });

  it('refuses an oversized body without reading it all', async () => {
    const response = await platform.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ tenant: 'acme', email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('OSV_ERR_PAYLOAD_TOO_LARGE');
  });
});
