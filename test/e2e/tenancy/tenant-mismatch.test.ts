import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commercePlugins, createCourse, enableCommerce, member } from '../../support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

let platform: TestPlatform;
let acme: Tenancy;
let globex: Tenancy;

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: commercePlugins({}) });
  acme = await createTenant(platform.kernel, 'acme');
  globex = await createTenant(platform.kernel, 'globex');
  for (const tenant of [acme, globex]) await enableCommerce(platform.kernel, tenant.tenantId);
});
afterAll(() => platform?.close());

describe('requests that mix tenants', () => {
  it("answer 404 for the roster of another tenant's course or of an unknown one", async () => {
    const acmeCourse = await createCourse(platform.http, acme.instructor, { slug: 'acme-course', title: 'Acme course' });
    const globexCourse = await createCourse(platform.http, globex.instructor, { slug: 'globex-course', title: 'Globex course' });
    const roster = (courseId: string) => platform.http.get(`/api/v1/plugins/enrollment/courses/${courseId}/roster`).set('Authorization', acme.instructor);
    expect((await roster(acmeCourse.id)).status).toBe(200);
    for (const courseId of [globexCourse.id, randomUUID()]) {
      const response = await roster(courseId);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('OSV_ERR_NOT_FOUND');
    }
  });

  it("refuse a secret key sent with another tenant's publishable key", async () => {
    const globexKey = await platform.kernel.publishableKeys.create(globex.tenantId, { name: 'site', allowedOrigins: ['https://globex.example'], allowedWidgets: [] });
    const acmeKey = await platform.kernel.publishableKeys.create(acme.tenantId, { name: 'site', allowedOrigins: ['https://acme.example'], allowedWidgets: [] });
    const mixed = await platform.http.get('/api/v1/tenant').set('Authorization', acme.learner).set('Osv-Key', globexKey.key);
    expect(mixed.status).toBe(403);
    expect(mixed.body.error.code).toBe('OSV_ERR_TENANT_MISMATCH');
    const matching = await platform.http.get('/api/v1/tenant').set('Authorization', acme.learner).set('Osv-Key', acmeKey.key);
    expect(matching.status).toBe(200);
    expect(matching.body.slug).toBe('acme');
  });

  it("refuse a member token that names another tenant in Osv-Tenant, and accept its own", async () => {
    const ada = await member(platform.kernel, acme.tenantId, 'ada');
    const elsewhere = await platform.http.get('/api/v1/tenant').set('Authorization', ada.auth).set('Osv-Tenant', 'globex');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('OSV_ERR_TENANT_MISMATCH');
    expect(elsewhere.body.error.message).toMatch(/Osv-Tenant "globex"/);
    const unknown = await platform.http.get('/api/v1/tenant').set('Authorization', ada.auth).set('Osv-Tenant', 'nobody');
    expect(unknown.status).toBe(403);
    for (const own of ['acme', acme.tenantId]) {
      const response = await platform.http.get('/api/v1/tenant').set('Authorization', ada.auth).set('Osv-Tenant', own);
      expect(response.status, own).toBe(200);
      expect(response.body.slug).toBe('acme');
    }
  });
});
