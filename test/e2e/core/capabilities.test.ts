import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';

let platform: TestPlatform;
let acme: Tenancy;

beforeAll(async () => {
  platform = await startTestPlatform();
  acme = await createTenant(platform.kernel, 'acme');
  await platform.kernel.plugins.setEnabled(acme.tenantId, 'example', true);
});
afterAll(() => platform?.close());

const createNote = (auth: string) => platform.http.post('/api/v1/plugins/example/notes').set('Authorization', auth).send({ title: 'x' });

describe('roles and capabilities', () => {
  it('grants what the plugin manifest gives each role by default', async () => {
    expect((await createNote(acme.instructor)).status).toBe(201);
    const learner = await createNote(acme.learner);
    expect(learner.status).toBe(403);
    expect(learner.body.error).toMatchObject({ code: 'OSV_ERR_FORBIDDEN', message: expect.stringContaining('example:write') });
    expect((await platform.http.get('/api/v1/plugins/example/notes').set('Authorization', acme.learner)).status).toBe(200);
  });

  it('lets a tenant admin grant and deny per role, taking effect at once', async () => {
    const { http } = platform;
    await http.put('/api/v1/admin/capabilities').set('Authorization', acme.admin).send({ role: 'learner', capability: 'example:write', granted: true }).expect(204);
    expect((await createNote(acme.learner)).status).toBe(201);
    await http.put('/api/v1/admin/capabilities').set('Authorization', acme.admin).send({ role: 'instructor', capability: 'example:write', granted: false }).expect(204);
    expect((await createNote(acme.instructor)).status).toBe(403);
  });

  it('keeps platform capabilities for owners and admin capabilities away from other roles', async () => {
    const { http } = platform;
    const grantPlatform = await http
      .put('/api/v1/admin/capabilities')
      .set('Authorization', acme.admin)
      .send({ role: 'learner', capability: 'core:tenants.manage', granted: true });
    expect(grantPlatform.status).toBe(400);
    const unknown = await http.put('/api/v1/admin/capabilities').set('Authorization', acme.admin).send({ role: 'learner', capability: 'nope:x', granted: true });
    expect(unknown.body.error.details[0].field).toBe('body.capability');
    expect((await http.get('/api/v1/admin/tenants').set('Authorization', acme.admin)).status).toBe(403);
    expect((await http.post('/api/v1/admin/keys').set('Authorization', acme.instructor).send({ name: 'x' })).status).toBe(403);
    expect((await http.put('/api/v1/admin/capabilities').set('Authorization', acme.learner).send({ role: 'learner', capability: 'example:write', granted: true })).status).toBe(403);
  });

  it('lets an owner create tenants, each with a first admin shown once', async () => {
    const owner = await createTenant(platform.kernel, 'platform', { owner: true });
    const created = await platform.http
      .post('/api/v1/admin/tenants')
      .set('Authorization', owner.admin)
      .send({ slug: 'globex', name: 'Globex College', adminEmail: 'it@globex.edu' });
    expect(created.status).toBe(201);
    const login = await platform.http.post('/api/v1/auth/login').send({ tenant: 'globex', email: 'it@globex.edu', password: created.body.admin.password });
    expect(login.status).toBe(200);
    const duplicate = await platform.http
      .post('/api/v1/admin/tenants')
      .set('Authorization', owner.admin)
      .send({ slug: 'globex', name: 'Again', adminEmail: 'it@globex.edu' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('OSV_ERR_CONFLICT');
  });
});
