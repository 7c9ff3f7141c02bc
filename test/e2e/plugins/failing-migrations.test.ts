import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { selectRows } from '../../../core/db/database.js';
import { createApp } from '../../../core/http/app.js';
import { defineMigration } from '../../../core/plugin-api.js';
import example from '../../../plugins/example/plugin.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { countRows, ledgerRows, pluginStatus, tableExists, tablesStartingWith, testPlugin } from './plugin-test-kit.js';

const createTable = (name: string, table: string, down = true) =>
  defineMigration({
    name,
    async up({ sql }) {
      await sql(`CREATE TABLE ${table} (id serial PRIMARY KEY, tenant_id uuid REFERENCES tenants ON DELETE CASCADE, label text)`);
    },
    ...(down ? { down: async ({ sql }) => void (await sql(`DROP TABLE IF EXISTS ${table}`)) } : {}),
  });

/** Its second migration is broken: the whole batch must roll back, the first migration included. */
const broken = testPlugin(
  { id: 'broken' },
  {
    migrations: [
      createTable('0001-first', 'broken_first'),
      defineMigration({
        name: '0002-second',
        async up({ sql }) {
          await sql('CREATE TABLE broken_second (id serial PRIMARY KEY)');
          await sql('INSERT INTO broken_second (no_such_column) VALUES (1)');
        },
      }),
    ],
  },
);

/** Creates a table outside `sneaky_*`, and has no down steps that could undo it. */
const sneaky = testPlugin({ id: 'sneaky' }, { migrations: [createTable('0001-ok', 'sneaky_ok', false), createTable('0002-extra', 'sneaky_extra', false), createTable('0003-out', 'outside_sneaky', false)] });

/** keeper 1.0.0 is fine; 1.1.0 adds a migration that steps outside `keeper_*`. */
const keeper = (version: string) =>
  testPlugin(
    { id: 'keeper', version, capabilities: { 'keeper:read': { description: 'Read', defaultRoles: ['learner'] } } },
    {
      migrations: version === '1.0.0' ? [createTable('0001-items', 'keeper_items')] : [createTable('0001-items', 'keeper_items'), createTable('0002-stray', 'stray_table')],
      register(ctx) {
        ctx.http.route({
          method: 'get',
          path: '/items',
          summary: 'Items',
          access: 'keeper:read',
          handler: ({ principal }) => ctx.db.forTenant(principal!.tenantId).select(ctx.db.table('items')),
        });
      },
    },
  );

/** Its down step fails, so an uninstall must change nothing. */
const stuck = testPlugin(
  { id: 'stuck', capabilities: { 'stuck:read': { description: 'Read', defaultRoles: ['learner'] } }, settings: { schema: z.object({ note: z.string().optional() }) } },
  {
    migrations: [
      defineMigration({
        name: '0001-things',
        async up({ sql }) {
          await sql('CREATE TABLE stuck_things (id int)');
        },
        async down({ sql }) {
          await sql('DROP TABLE stuck_no_such_table');
        },
      }),
    ],
    register(ctx) {
      ctx.http.route({ method: 'get', path: '/ping', summary: 'Ping', access: 'stuck:read', handler: () => ({ pong: true }) });
    },
  },
);

let platform: TestPlatform;
let owner: Tenancy;
let acme: Tenancy;
const db = () => platform.kernel.db;

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: [broken, example, sneaky, keeper('1.0.0'), stuck] });
  owner = await createTenant(platform.kernel, 'ops', { owner: true });
  acme = await createTenant(platform.kernel, 'acme');
});
afterAll(() => platform?.close());

describe('failing plugin migrations', () => {
  it('rolls back the whole batch of a failing migration and reports the plugin failed', async () => {
    expect(await tablesStartingWith(db(), 'broken_')).toEqual([]);
    expect(await ledgerRows(db(), 'broken')).toEqual([]);
    const status = await pluginStatus(platform.http, owner.admin, 'broken');
    expect(status).toMatchObject({ state: 'failed', installedVersion: null });
    expect(status.error).toMatch(/^Plugin broken: migration failed: .*0002-second.*no_such_column/);
    expect(await selectRows(db(), "SELECT state, last_error FROM plugins WHERE id = 'broken'")).toEqual([
      { state: 'failed', last_error: expect.stringMatching(/^migration failed: .*no_such_column/) },
    ]);
    const route = await platform.http.get('/api/v1/plugins/broken/anything').set('Authorization', acme.learner);
    expect(route.body.error.code).toBe('OSV_ERR_PLUGIN_NOT_FOUND');
  });

  it('answers a retried install with the reason, and still leaves nothing behind', async () => {
    const retry = await platform.http.post('/api/v1/admin/plugins/broken/install').set('Authorization', owner.admin);
    expect(retry.status).toBe(422);
    expect(retry.body.error.code).toBe('OSV_ERR_PLUGIN_REFUSED');
    expect(retry.body.error.message).toMatch(/^Plugin broken: migration failed: .*no_such_column/);
    expect(await tablesStartingWith(db(), 'broken_')).toEqual([]);
    expect(await ledgerRows(db(), 'broken')).toEqual([]);
  });

  it('rolls back migrations that create tables outside the plugin namespace, even without down steps', async () => {
    for (const table of ['sneaky_ok', 'sneaky_extra', 'outside_sneaky']) expect(await tableExists(db(), table), table).toBe(false);
    expect(await ledgerRows(db(), 'sneaky')).toEqual([]);
    const status = await pluginStatus(platform.http, owner.admin, 'sneaky');
    expect(status.state).toBe('failed');
    expect(status.error).toBe('Plugin sneaky: migration failed: migrations created tables outside the sneaky_* namespace: outside_sneaky');
  });

  it('refuses an upgrade that steps outside the namespace without touching the installed version or its data', async () => {
    expect(await ledgerRows(db(), 'keeper')).toEqual(['keeper/0001-items']);
    await platform.kernel.db.query("INSERT INTO keeper_items (tenant_id, label) VALUES ($1, 'precious')", { bind: [acme.tenantId] });

    const upgraded = await platform.restart({ plugins: [example, keeper('1.1.0')] });
    const http = supertest(createApp(upgraded));
    const status = await pluginStatus(http, owner.admin, 'keeper');
    expect(status).toMatchObject({ state: 'failed', version: '1.1.0', installedVersion: '1.0.0' });
    expect(status.error).toBe('Plugin keeper: migration failed: migrations created tables outside the keeper_* namespace: stray_table');
    expect(await tableExists(db(), 'stray_table')).toBe(false);
    expect(await ledgerRows(db(), 'keeper')).toEqual(['keeper/0001-items']);
    expect(await selectRows(db(), 'SELECT label FROM keeper_items')).toEqual([{ label: 'precious' }]);
    expect(await selectRows(db(), "SELECT version, state FROM plugins WHERE id = 'keeper'")).toEqual([{ version: '1.0.0', state: 'installed' }]);
    expect(await selectRows(db(), "SELECT table_name FROM plugin_tables WHERE plugin_id = 'keeper'")).toEqual([{ table_name: 'keeper_items' }]);
    await upgraded.shutdown();
  });

  it('changes nothing when an uninstall fails, and the plugin keeps running', async () => {
    expect((await platform.http.post('/api/v1/admin/plugins/stuck/enable').set('Authorization', acme.admin)).status).toBe(204);
    expect((await platform.http.put('/api/v1/admin/plugins/stuck/settings').set('Authorization', acme.admin).send({ note: 'keep me' })).status).toBe(200);

    const response = await platform.http.delete('/api/v1/admin/plugins/stuck').set('Authorization', owner.admin);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('OSV_ERR_PLUGIN_STATE');
    expect(response.body.error.message).toMatch(/^Plugin stuck could not be uninstalled, nothing was removed: .*stuck_no_such_table/);
    expect(await tableExists(db(), 'stuck_things')).toBe(true);
    expect(await ledgerRows(db(), 'stuck')).toEqual(['stuck/0001-things']);
    expect(await countRows(db(), "SELECT count(*) FROM tenant_plugins WHERE plugin_id = 'stuck' AND enabled")).toBe(1);
    expect(await pluginStatus(platform.http, owner.admin, 'stuck')).toMatchObject({ state: 'installed', error: null });
    const ping = await platform.http.get('/api/v1/plugins/stuck/ping').set('Authorization', acme.learner);
    expect(ping.status).toBe(200);
    expect(ping.body).toEqual({ pong: true });
  });

  it('keeps the other plugins and the core routes working', async () => {
    expect(await pluginStatus(platform.http, owner.admin, 'example')).toMatchObject({ state: 'installed', error: null });
    expect((await platform.http.post('/api/v1/admin/plugins/example/enable').set('Authorization', acme.admin)).status).toBe(204);
    const note = await platform.http.post('/api/v1/plugins/example/notes').set('Authorization', acme.instructor).send({ title: 'Still here' });
    expect(note.status).toBe(201);
    expect((await platform.http.get('/api/v1/plugins/example/notes').set('Authorization', acme.learner)).body).toHaveLength(1);
    expect((await platform.http.get('/api/v1/tenant').set('Authorization', acme.admin)).status).toBe(200);
    expect((await platform.http.get('/api/v1/plugins/keeper/items').set('Authorization', acme.learner)).body.error.code).toBe('OSV_ERR_PLUGIN_DISABLED');
  });
});
