import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

let platform: TestPlatform;
let acme: Tenancy;

beforeAll(async () => {
  // Behind a trusted proxy, so each request can come from another client address.
  platform = await startTestPlatform({ redis: true, env: { OSV_TRUST_PROXY: 'true' } });
  acme = await createTenant(platform.kernel, 'acme');
});
afterAll(() => platform?.close());

const signIn = (body: { tenant?: string; email: string; password: string }, from = '203.0.113.10') =>
  platform.http.post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ tenant: 'acme', ...body });

async function passwordChecks(): Promise<number> {
  const metrics = await platform.http.get('/metrics');
  return Number(metrics.text.match(/^osv_password_checks_total (\d+)/m)?.[1]);
}

describe('sign-in', () => {
  it('does the same password hashing work for an unknown email or tenant as for a wrong password', async () => {
    for (const body of [
      { email: 'admin@acme.test', password: 'wrong' },
      { email: 'nobody@acme.test', password: 'wrong' },
      { tenant: 'no-such-tenant', email: 'admin@acme.test', password: 'wrong' },
    ]) {
      const before = await passwordChecks();
      const response = await signIn(body);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('OSV_ERR_BAD_CREDENTIALS');
      expect(await passwordChecks(), JSON.stringify(body)).toBe(before + 1);
    }
  });

  it("slows down one account's guessing with a doubling backoff, from any address, without locking out others", { timeout: 120_000 }, async () => {
    const { password } = await platform.kernel.tenants.createUser(acme.tenantId, { email: 'target@acme.test', role: 'admin' });
    const { password: colleaguePassword } = await platform.kernel.tenants.createUser(acme.tenantId, { email: 'colleague@acme.test', role: 'admin' });
    const guess = (from: string, attempt = 'guess') => signIn({ email: 'target@acme.test', password: attempt }, from);
    for (let attempt = 1; attempt <= 6; attempt++) expect((await guess(`198.51.100.${attempt}`)).status).toBe(401);

    const blocked = await guess('198.51.100.99', password);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('OSV_ERR_RATE_LIMITED');
    expect(blocked.body.error.message).toMatch(/failed sign-ins for this account/);
    const firstBlock = Number(blocked.headers['retry-after']);
    expect(firstBlock).toBeGreaterThan(0);
    expect(firstBlock).toBeLessThanOrEqual(5);
    expect((await signIn({ email: 'colleague@acme.test', password: colleaguePassword }, '198.51.100.1')).status).toBe(200);

    // Once the block ends, the next failure blocks twice as long.
    await eventually(async () => (await guess('198.51.100.7')).status === 401, 30_000);
    const longer = await guess('198.51.100.8');
    expect(longer.status).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(5);
    expect(Number(longer.headers['retry-after'])).toBeLessThanOrEqual(10);

    // The right password, once let through, clears the account's failures.
    await eventually(async () => (await guess('198.51.100.9', password)).status === 200, 30_000);
    for (let attempt = 1; attempt <= 5; attempt++) expect((await guess('198.51.100.10')).status).toBe(401);
  });

  it("blocks an address that keeps sending unknown API keys, and only that address's credentials", async () => {
    const from = '192.0.2.77';
    const unknownKey = (n: number) =>
      platform.http.get('/api/v1/tenant').set('X-Forwarded-For', from).set('Authorization', `Bearer sk_guess${String(n).padStart(28, '0')}`);
    for (let n = 0; n < 30; n++) expect((await unknownKey(n)).body.error.code).toBe('OSV_ERR_BAD_API_KEY');
    const blocked = await unknownKey(30);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/refused credentials from this address/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    const validFromThere = await platform.http.get('/api/v1/tenant').set('X-Forwarded-For', from).set('Authorization', acme.learner);
    expect(validFromThere.status).toBe(429);
    const validElsewhere = await platform.http.get('/api/v1/tenant').set('X-Forwarded-For', '192.0.2.78').set('Authorization', acme.learner);
    expect(validElsewhere.status).toBe(200);
    const siteKey = await platform.kernel.publishableKeys.create(acme.tenantId, { name: 'site', allowedOrigins: ['https://acme.example'], allowedWidgets: [] });
    const widgetFromThere = await platform.http.get(`/api/v1/me?key=${siteKey.key}`).set('X-Forwarded-For', from);
    expect(widgetFromThere.status).toBe(200);
  });

  it('does not count expired access tokens or an unknown publishable key against an address: a campus behind one address keeps working', async () => {
    const from = '192.0.2.90';
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ tid: acme.tenantId, role: 'learner', scope: '', auth_time: now - 1200 })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject('some-learner')
      .setIssuer(platform.kernel.config.PUBLIC_URL)
      .setAudience('osv')
      .setIssuedAt(now - 1200)
      .setExpirationTime(now - 300)
      .sign(platform.kernel.secrets.signingKey);
    for (let n = 0; n < 40; n++) {
      const response = await platform.http.get('/api/v1/tenant').set('X-Forwarded-For', from).set('Authorization', `Bearer ${expired}`);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toMatch(/expired; refresh it/);
      const revokedSiteKey = await platform.http.get('/api/v1/tenant?key=pk_revokedorunknown000').set('X-Forwarded-For', from);
      expect(revokedSiteKey.body.error.code).toBe('OSV_ERR_BAD_PUBLISHABLE_KEY');
    }
    expect((await platform.http.get('/api/v1/tenant').set('X-Forwarded-For', from).set('Authorization', acme.learner)).status).toBe(200);
  });
});
