import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

let platform: TestPlatform;
let acme: Tenancy;
let siteKey: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  acme = await createTenant(platform.kernel, 'acme');
  await platform.kernel.plugins.setEnabled(acme.tenantId, 'example', true);
  siteKey = `Bearer ${(await platform.kernel.credentials.createApiKey(acme.tenantId, { name: 'site backend', role: 'admin' })).secret}`;
});
afterAll(() => platform?.close());

const exchange = (auth: string, body: object = { userId: 'site-user-42', email: 'kim@example.com' }) =>
  platform.http.post('/api/v1/auth/embed-token').set('Authorization', auth).send(body);

describe('access tokens for end users', () => {
  it("exchanges a site's user id for a short-lived token that acts as that learner", async () => {
    const issued = await exchange(siteKey);
    expect(issued.status).toBe(200);
    const auth = `Bearer ${issued.body.token}`;
    const me = await platform.http.get('/api/v1/me').set('Authorization', auth);
    expect(me.body).toMatchObject({ kind: 'member', role: 'learner', tenantId: acme.tenantId });
    expect((await platform.http.get('/api/v1/plugins/example/notes').set('Authorization', auth)).status).toBe(200);
    expect((await platform.http.post('/api/v1/plugins/example/notes').set('Authorization', auth).send({ title: 'x' })).status).toBe(403);
    const again = await exchange(siteKey);
    expect(again.body.userId).toBe(issued.body.userId);
  });

  it('issues tokens to secret keys only, never to browsers', async () => {
    expect((await exchange(acme.admin)).status).toBe(403);
    expect((await exchange(acme.learner)).status).toBe(403);
    const fromBrowser = await exchange(siteKey).set('Origin', 'https://site.example');
    expect(fromBrowser.status).toBe(403);
    expect(fromBrowser.body.error.code).toBe('OSV_ERR_SECRET_KEY_IN_BROWSER');
  });

  it('refuses forged, unsigned, expired and foreign tokens', async () => {
    const claims = { tid: acme.tenantId, role: 'admin', scope: '' };
    const build = (key: Uint8Array, options: { audience?: string; expiresIn?: string | number } = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setSubject('attacker')
        .setIssuer(platform.kernel.config.PUBLIC_URL)
        .setAudience(options.audience ?? 'osv')
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(key);
    const forged = await build(new Uint8Array(32).fill(9));
    const unsigned = new UnsecuredJWT(claims).setSubject('attacker').setIssuer(platform.kernel.config.PUBLIC_URL).setAudience('osv').encode();
    const signingKey = platform.kernel.secrets.signingKey;
    const expired = await build(signingKey, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const foreignAudience = await build(signingKey, { audience: 'someone-else' });
    for (const token of [forged, unsigned, expired, foreignAudience]) {
      const response = await platform.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect(response.status, token).toBe(401);
      expect(response.body.error.code).toBe('OSV_ERR_UNAUTHENTICATED');
    }
  });

  it('validates the exchange request', async () => {
    const response = await exchange(siteKey, { userId: '', role: 'owner', ttlSeconds: 99999 });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.role', 'body.ttlSeconds', 'body.userId']);
  });
});
