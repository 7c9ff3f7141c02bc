import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_MAX_AGE_SECONDS } from '../../../core/auth/access-tokens.js';
import { selectRows } from '../../../core/db/database.js';
import { commercePlugins, createCourse, enableCommerce } from '../../support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

let platform: TestPlatform;
let acme: Tenancy;
let siteKey: string;
let course: { id: string };

beforeAll(async () => {
  // Composed as in production: the LTI module's session refresh is part of it.
  platform = await startTestPlatform({ plugins: commercePlugins({}), composed: true });
  acme = await createTenant(platform.kernel, 'acme');
  await enableCommerce(platform.kernel, acme.tenantId);
  siteKey = `Bearer ${(await platform.kernel.credentials.createApiKey(acme.tenantId, { name: 'site backend', role: 'admin' })).secret}`;
  course = await createCourse(platform.http, acme.instructor, { slug: 'intro', title: 'Intro' });
});
afterAll(() => platform?.close());

async function tokenScopedTo(scope: string[], userId: string): Promise<string> {
  const exchanged = await platform.http.post('/api/v1/auth/embed-token').set('Authorization', siteKey).send({ userId, scope });
  expect(exchanged.status).toBe(200);
  return `Bearer ${exchanged.body.token}`;
}

describe('access token scopes', () => {
  it('keep a token scoped to the catalog widget out of enrolling and of routes that serve no widget', async () => {
    const catalogOnly = await tokenScopedTo(['osv-catalog'], 'browsing-visitor');
    expect((await platform.http.get('/api/v1/plugins/enrollment/courses').set('Authorization', catalogOnly)).status).toBe(200);
    expect((await platform.http.get('/api/v1/me').set('Authorization', catalogOnly)).status).toBe(200);
    for (const refused of [
      platform.http.post(`/api/v1/plugins/enrollment/courses/${course.id}/enroll`),
      platform.http.get('/api/v1/plugins/enrollment/me/enrollments'),
      platform.http.get(`/api/v1/plugins/enrollment/courses/${course.id}/progress`),
    ]) {
      const response = await refused.set('Authorization', catalogOnly);
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('OSV_ERR_WIDGET_NOT_ALLOWED');
      expect(response.body.error.message).toMatch(/limited to osv-catalog/);
    }
    expect(await selectRows(platform.kernel.db, 'SELECT id FROM enrollment_enrollments WHERE course_id = $1', [course.id])).toEqual([]);
  });

  it('let a token scoped to the enroll widget enroll, and an unscoped token do everything its role allows', async () => {
    const enrollOnly = await tokenScopedTo(['osv-enroll'], 'enrolling-visitor');
    const enrolled = await platform.http.post(`/api/v1/plugins/enrollment/courses/${course.id}/enroll`).set('Authorization', enrollOnly);
    expect(enrolled.status).toBe(200);
    expect(enrolled.body.status).toBe('enrolled');
    const catalog = await platform.http.get('/api/v1/plugins/enrollment/courses').set('Authorization', enrollOnly);
    expect(catalog.body.error.code).toBe('OSV_ERR_WIDGET_NOT_ALLOWED');
    const unscoped = await tokenScopedTo([], 'any-visitor');
    expect((await platform.http.get('/api/v1/plugins/enrollment/me/enrollments').set('Authorization', unscoped)).status).toBe(200);
    expect((await platform.http.get('/api/v1/plugins/enrollment/courses').set('Authorization', unscoped)).status).toBe(200);
  });
});

describe('LTI session lifetime', () => {
  const refresh = (token: string) => platform.http.post('/api/v1/lti/session/refresh').set('Authorization', `Bearer ${token}`);

  it('never extends a session past its absolute lifetime from the launch, however often it is refreshed', async () => {
    const user = await platform.kernel.users.upsert(acme.tenantId, { issuer: 'https://lms.example', subject: 'long-day', role: 'learner' });
    const launchedAt = new Date(Date.now() - (SESSION_MAX_AGE_SECONDS - 120) * 1000);
    const sessionEnds = (Math.floor(launchedAt.getTime() / 1000) + SESSION_MAX_AGE_SECONDS) * 1000;
    const { token } = await platform.kernel.accessTokens.issue({ tenantId: acme.tenantId, userId: user.id, role: 'learner', scope: ['lti'], authTime: launchedAt });
    const first = await refresh(token);
    expect(first.status).toBe(200);
    expect(new Date(first.body.expiresAt).getTime()).toBe(sessionEnds);
    const second = await refresh(first.body.token);
    expect(new Date(second.body.expiresAt).getTime()).toBe(sessionEnds);
  });

  it('refuses a token whose session is over, even if the token itself has not expired', async () => {
    const user = await platform.kernel.users.upsert(acme.tenantId, { issuer: 'https://lms.example', subject: 'stale', role: 'learner' });
    const now = Math.floor(Date.now() / 1000);
    const stale = await new SignJWT({ tid: acme.tenantId, role: 'learner', scope: 'lti', auth_time: now - SESSION_MAX_AGE_SECONDS - 60 })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject(user.id)
      .setIssuer(platform.kernel.config.PUBLIC_URL)
      .setAudience('osv')
      .setIssuedAt()
      .setExpirationTime(now + 600)
      .sign(platform.kernel.secrets.signingKey);
    const response = await refresh(stale);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('OSV_ERR_UNAUTHENTICATED');
  });
});
