import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { selectRows } from '../../../core/db/database.js';
import { createApp } from '../../../core/http/app.js';
import type { Kernel } from '../../../core/kernel.js';
import { defineMigration, definePlugin } from '../../../core/plugin-api.js';
import example from '../../../plugins/example/plugin.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { countRows, ledgerRows, pluginStatus, tablesStartingWith } from './plugin-test-kit.js';

const upgradedFrom: string[] = [];
const uninstalled: string[] = [];

const entriesMigration = defineMigration({
  name: '0001-entries',
  async up({ sql }) {
    await sql(`CREATE TABLE life_entries (
      id serial PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      text text NOT NULL
    )`);
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS life_entries');
  },
});

/** New in 1.1.0; deliberately without a down step (the registry drops a plugin's tables itself). */
const tagsMigration = defineMigration({
  name: '0002-tags',
  async up({ sql }) {
    await sql('CREATE TABLE life_tags (entry_id integer NOT NULL, tag text NOT NULL)');
    await sql('ALTER TABLE life_entries ADD COLUMN pinned boolean NOT NULL DEFAULT false');
  },
});

/** The same plugin at two versions: 1.1.0 adds a migration. */
const lifePlugin = (version: '1.0.0' | '1.1.0') =>
  definePlugin({
    manifest: {
      id: 'life',
      name: 'Lifecycle',
      version,
      coreRange: '^0.1.0',
      capabilities: {
        'life:read': { description: 'Read entries', defaultRoles: ['instructor', 'learner'] },
        'life:write': { description: 'Write entries', defaultRoles: ['instructor'] },
      },
      settings: { schema: z.object({ motto: z.string().max(100).default('') }) },
    },
    migrations: version === '1.0.0' ? [entriesMigration] : [entriesMigration, tagsMigration],
    register(ctx) {
      const entries = ctx.db.table('entries');
      ctx.http.route({
        method: 'get',
        path: '/entries',
        summary: 'List entries',
        access: 'life:read',
        handler: async ({ principal }) => ({
          version,
          entries: (await ctx.db.forTenant(principal!.tenantId).select<{ text: string }>(entries, {}, { orderBy: 'id' })).map((e) => e.text),
        }),
      });
      ctx.http.route({
        method: 'post',
        path: '/entries',
        summary: 'Add an entry',
        access: 'life:write',
        status: 201,
        body: z.object({ text: z.string().min(1) }),
        handler: ({ body, principal }) => ctx.db.forTenant(principal!.tenantId).insert(entries, { text: body.text }),
      });
    },
    async onUpgrade(_ctx, fromVersion) {
      upgradedFrom.push(fromVersion);
    },
    async onUninstall(ctx) {
      uninstalled.push(ctx.id);
    },
  });

let platform: TestPlatform;
let owner: Tenancy;
let alpha: Tenancy;
let beta: Tenancy;
/** The HTTP API of the kernel that runs the newest code (changes on each restart). */
let http: ReturnType<typeof supertest>;

const restartWith = async (version: '1.0.0' | '1.1.0'): Promise<Kernel> => {
  const kernel = await platform.restart({ plugins: [example, lifePlugin(version)] });
  http = supertest(createApp(kernel));
  return kernel;
};
const db = () => platform.kernel.db;
const life = () => pluginStatus(http, owner.admin, 'life');

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: [example, lifePlugin('1.0.0')], kernel: { autoInstall: false } });
  http = platform.http;
  owner = await createTenant(platform.kernel, 'ops', { owner: true });
  alpha = await createTenant(platform.kernel, 'alpha');
  beta = await createTenant(platform.kernel, 'beta');
});
afterAll(() => platform?.close());

describe('plugin lifecycle over the admin API', () => {
  it('starts discovered: nothing applied, no route, cannot be enabled', async () => {
    expect(await life()).toMatchObject({ state: 'discovered', source: 'first-party', version: '1.0.0', installedVersion: null, error: null });
    expect(await tablesStartingWith(db(), 'life_')).toEqual([]);
    expect(await ledgerRows(db(), 'life')).toEqual([]);
    const route = await http.get('/api/v1/plugins/life/entries').set('Authorization', alpha.learner);
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('OSV_ERR_PLUGIN_NOT_FOUND');
    const enable = await http.post('/api/v1/admin/plugins/life/enable').set('Authorization', alpha.admin);
    expect(enable.status).toBe(409);
    expect(enable.body.error).toMatchObject({ code: 'OSV_ERR_PLUGIN_STATE', message: 'Plugin life is not installed' });
    const remove = await http.delete('/api/v1/admin/plugins/life').set('Authorization', owner.admin);
    expect(remove.status).toBe(409);
    expect(remove.body.error).toMatchObject({ code: 'OSV_ERR_PLUGIN_STATE', message: 'Plugin life is not installed' });
    expect(uninstalled).toEqual([]);
    const settings = await http.put('/api/v1/admin/plugins/life/settings').set('Authorization', alpha.admin).send({ motto: 'too early' });
    expect(settings.status).toBe(409);
    expect(settings.body.error).toMatchObject({ code: 'OSV_ERR_PLUGIN_STATE', message: 'Plugin life is not installed' });
  });

  it('lets only an owner install', async () => {
    for (const who of [alpha.admin, alpha.instructor, alpha.learner]) {
      const refused = await http.post('/api/v1/admin/plugins/life/install').set('Authorization', who);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('OSV_ERR_FORBIDDEN');
    }
    expect(await ledgerRows(db(), 'life')).toEqual([]);

    const installed = await http.post('/api/v1/admin/plugins/life/install').set('Authorization', owner.admin);
    expect(installed.status).toBe(200);
    expect(installed.body).toMatchObject({ id: 'life', state: 'installed', version: '1.0.0', installedVersion: '1.0.0', error: null });
    expect(await tablesStartingWith(db(), 'life_')).toEqual(['life_entries']);
    expect(await ledgerRows(db(), 'life')).toEqual(['life/0001-entries']);
    expect(await selectRows(db(), "SELECT version, state FROM plugins WHERE id = 'life'")).toEqual([{ version: '1.0.0', state: 'installed' }]);
    expect(await selectRows(db(), "SELECT table_name FROM plugin_tables WHERE plugin_id = 'life'")).toEqual([{ table_name: 'life_entries' }]);

    const again = await http.post('/api/v1/admin/plugins/life/install').set('Authorization', owner.admin);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OSV_ERR_PLUGIN_STATE');
  });

  it('is enabled per tenant, by a tenant admin but not a learner key', async () => {
    const learner = await http.post('/api/v1/admin/plugins/life/enable').set('Authorization', alpha.learner);
    expect(learner.status).toBe(403);
    expect(learner.body.error.code).toBe('OSV_ERR_FORBIDDEN');
    expect((await http.post('/api/v1/admin/plugins/life/enable').set('Authorization', alpha.admin)).status).toBe(204);

    const created = await http.post('/api/v1/plugins/life/entries').set('Authorization', alpha.instructor).send({ text: 'first' });
    expect(created.status).toBe(201);
    const listed = await http.get('/api/v1/plugins/life/entries').set('Authorization', alpha.learner);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ version: '1.0.0', entries: ['first'] });

    const other = await http.get('/api/v1/plugins/life/entries').set('Authorization', beta.learner);
    expect(other.status).toBe(404);
    expect(other.body.error).toMatchObject({ code: 'OSV_ERR_PLUGIN_DISABLED', message: 'Plugin life is not enabled for this tenant' });
    expect((await pluginStatus(http, alpha.admin, 'life')).enabled).toBe(true);
    expect((await pluginStatus(http, beta.admin, 'life')).enabled).toBe(false);
  });

  it('keeps the data while disabled and shows it again once re-enabled', async () => {
    expect((await http.post('/api/v1/admin/plugins/life/disable').set('Authorization', alpha.admin)).status).toBe(204);
    const disabled = await http.get('/api/v1/plugins/life/entries').set('Authorization', alpha.learner);
    expect(disabled.status).toBe(404);
    expect(disabled.body.error.code).toBe('OSV_ERR_PLUGIN_DISABLED');
    expect(await countRows(db(), 'SELECT count(*) FROM life_entries WHERE tenant_id = $1', [alpha.tenantId])).toBe(1);

    expect((await http.post('/api/v1/admin/plugins/life/enable').set('Authorization', alpha.admin)).status).toBe(204);
    const again = await http.get('/api/v1/plugins/life/entries').set('Authorization', alpha.learner);
    expect(again.body).toEqual({ version: '1.0.0', entries: ['first'] });
  });

  it('upgrades on restart with newer code: the new migration applied, onUpgrade told the old version', async () => {
    await restartWith('1.1.0');
    expect(await life()).toMatchObject({ state: 'installed', version: '1.1.0', installedVersion: '1.1.0', error: null });
    expect(upgradedFrom).toEqual(['1.0.0']);
    expect(await ledgerRows(db(), 'life')).toEqual(['life/0001-entries', 'life/0002-tags']);
    expect(await tablesStartingWith(db(), 'life_')).toEqual(['life_entries', 'life_tags']);
    expect(await selectRows(db(), "SELECT version FROM plugins WHERE id = 'life'")).toEqual([{ version: '1.1.0' }]);

    const listed = await http.get('/api/v1/plugins/life/entries').set('Authorization', alpha.learner);
    expect(listed.body).toEqual({ version: '1.1.0', entries: ['first'] });
    expect((await http.get('/api/v1/plugins/life/entries').set('Authorization', beta.learner)).status).toBe(404);
  });

  it('refuses a downgrade: older code than the installed version does not run', async () => {
    const older = await restartWith('1.0.0');
    expect(await life()).toMatchObject({ state: 'failed', version: '1.0.0', installedVersion: '1.1.0' });
    expect((await life()).error).toBe("installed version 1.1.0 is newer than the code's 1.0.0; downgrades are refused");
    expect((await http.get('/api/v1/plugins/life/entries').set('Authorization', alpha.learner)).status).toBe(404);

    for (const action of ['upgrade', 'install']) {
      const response = await http.post(`/api/v1/admin/plugins/life/${action}`).set('Authorization', owner.admin);
      expect(response.status, action).toBe(409);
      expect(response.body.error.code).toBe('OSV_ERR_PLUGIN_STATE');
    }
    expect(await selectRows(db(), "SELECT version, state FROM plugins WHERE id = 'life'")).toEqual([{ version: '1.1.0', state: 'installed' }]);
    expect(await ledgerRows(db(), 'life')).toEqual(['life/0001-entries', 'life/0002-tags']);
    expect(upgradedFrom).toEqual(['1.0.0']);
    await older.shutdown();
  });

  it('lets only an owner uninstall, which drops its tables, ledger rows, settings and grants', async () => {
    await restartWith('1.1.0');
    const motto = await http.put('/api/v1/admin/plugins/life/settings').set('Authorization', alpha.admin).send({ motto: 'carpe diem' });
    expect(motto.status).toBe(200);
    const grant = await http
      .put('/api/v1/admin/capabilities')
      .set('Authorization', alpha.admin)
      .send({ role: 'learner', capability: 'life:write', granted: true });
    expect(grant.status).toBe(204);
    expect(await countRows(db(), "SELECT count(*) FROM capability_grants WHERE capability LIKE 'life:%'")).toBe(1);

    const refused = await http.delete('/api/v1/admin/plugins/life').set('Authorization', alpha.admin);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('OSV_ERR_FORBIDDEN');

    const removed = await http.delete('/api/v1/admin/plugins/life').set('Authorization', owner.admin);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: 'life', state: 'discovered', installedVersion: null, error: null });
    expect(uninstalled).toEqual(['life']);
    expect(await tablesStartingWith(db(), 'life_')).toEqual([]);
    expect(await ledgerRows(db(), 'life')).toEqual([]);
    expect(await countRows(db(), "SELECT count(*) FROM plugins WHERE id = 'life'")).toBe(0);
    expect(await countRows(db(), "SELECT count(*) FROM plugin_tables WHERE plugin_id = 'life'")).toBe(0);
    expect(await countRows(db(), "SELECT count(*) FROM tenant_plugins WHERE plugin_id = 'life'")).toBe(0);
    expect(await countRows(db(), "SELECT count(*) FROM capability_grants WHERE capability LIKE 'life:%'")).toBe(0);

    const route = await http.get('/api/v1/plugins/life/entries').set('Authorization', alpha.learner);
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('OSV_ERR_PLUGIN_NOT_FOUND');
  });

  it('installs again from a clean slate after an uninstall', async () => {
    const installed = await http.post('/api/v1/admin/plugins/life/install').set('Authorization', owner.admin);
    expect(installed.status).toBe(200);
    expect(await ledgerRows(db(), 'life')).toEqual(['life/0001-entries', 'life/0002-tags']);
    expect((await http.post('/api/v1/admin/plugins/life/enable').set('Authorization', alpha.admin)).status).toBe(204);
    const listed = await http.get('/api/v1/plugins/life/entries').set('Authorization', alpha.learner);
    expect(listed.body).toEqual({ version: '1.1.0', entries: [] });
    const settings = await http.get('/api/v1/admin/plugins/life/settings').set('Authorization', alpha.admin);
    expect(settings.body).toEqual({ values: {}, secrets: {} });
  });
});
