import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { ledgerRows, listPlugins, pluginStatus, tablesStartingWith } from './plugin-test-kit.js';

// osv-plugin-fixture is a real npm package (test/fixtures/osv-plugin-fixture, a file: devDependency).
const MISSING = 'osv-plugin-that-does-not-exist';

let platform: TestPlatform;
let owner: Tenancy;
let acme: Tenancy;
let globex: Tenancy;

beforeAll(async () => {
  platform = await startTestPlatform({ env: { OSV_PLUGINS: `osv-plugin-fixture, ${MISSING}` } });
  owner = await createTenant(platform.kernel, 'ops', { owner: true });
  acme = await createTenant(platform.kernel, 'acme');
  globex = await createTenant(platform.kernel, 'globex');
});
afterAll(() => platform?.close());

describe('third-party plugins from npm packages named in OSV_PLUGINS', () => {
  it('discovers the package but does not install it on its own', async () => {
    expect(await pluginStatus(platform.http, owner.admin, 'fixture')).toMatchObject({
      name: 'Fixture (npm)',
      source: 'npm:osv-plugin-fixture',
      state: 'discovered',
      version: '1.0.0',
      installedVersion: null,
      capabilities: ['fixture:read'],
    });
    expect(await tablesStartingWith(platform.kernel.db, 'fixture_')).toEqual([]);
    expect((await platform.http.get('/api/v1/plugins/fixture/hello').set('Authorization', acme.learner)).body.error.code).toBe('OSV_ERR_PLUGIN_NOT_FOUND');
  });

  it('refuses a package that cannot be imported, and keeps running', async () => {
    const plugins = await listPlugins(platform.http, owner.admin);
    const missing = plugins.get(`npm:${MISSING}`);
    expect(missing).toMatchObject({ source: `npm:${MISSING}`, state: 'refused' });
    expect(missing!.error).toMatch(new RegExp(`^could not be imported: .*${MISSING}`));
    expect(plugins.get('example')).toMatchObject({ source: 'first-party', state: 'installed' });
    expect((await platform.http.get('/api/v1/tenant').set('Authorization', acme.admin)).status).toBe(200);
  });

  it('is installed by an owner, enabled by a tenant, and answers its route', async () => {
    expect((await platform.http.post('/api/v1/admin/plugins/fixture/install').set('Authorization', acme.admin)).status).toBe(403);
    const installed = await platform.http.post('/api/v1/admin/plugins/fixture/install').set('Authorization', owner.admin);
    expect(installed.status).toBe(200);
    expect(installed.body).toMatchObject({ id: 'fixture', source: 'npm:osv-plugin-fixture', state: 'installed', installedVersion: '1.0.0' });
    expect(await tablesStartingWith(platform.kernel.db, 'fixture_')).toEqual(['fixture_items']);
    expect(await ledgerRows(platform.kernel.db, 'fixture')).toEqual(['fixture/0001-items']);

    expect((await platform.http.post('/api/v1/admin/plugins/fixture/enable').set('Authorization', acme.admin)).status).toBe(204);
    await platform.kernel.db.query("INSERT INTO fixture_items (tenant_id, label) VALUES ($1, 'one'), ($2, 'other tenant')", {
      bind: [acme.tenantId, globex.tenantId],
    });
    const hello = await platform.http.get('/api/v1/plugins/fixture/hello').set('Authorization', acme.learner);
    expect(hello.status).toBe(200);
    expect(hello.body).toEqual({ hello: 'from an npm package', plugin: 'fixture', items: 1 });

    const disabled = await platform.http.get('/api/v1/plugins/fixture/hello').set('Authorization', globex.learner);
    expect(disabled.status).toBe(404);
    expect(disabled.body.error.code).toBe('OSV_ERR_PLUGIN_DISABLED');
  });

  it('is still installed and running after a restart (source recorded as npm)', async () => {
    const kernel = await platform.restart();
    expect((await kernel.plugins.status('fixture')).state).toBe('installed');
    expect(await platform.kernel.db.query("SELECT source FROM plugins WHERE id = 'fixture'", { plain: true })).toEqual({ source: 'npm:osv-plugin-fixture' });
  });
});
