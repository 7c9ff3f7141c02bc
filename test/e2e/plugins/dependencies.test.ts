import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../../core/db/database.js';
import { defineMigration, type PluginContext } from '../../../core/plugin-api.js';
import { CORE_VERSION } from '../../../core/version.js';
import example from '../../../plugins/example/plugin.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { ledgerRows, type ListedPlugin, listPluginRows, testPlugin } from './plugin-test-kit.js';

/** topo-a owns the log; every topo plugin writes to it from its migration and its start(). */
const logStep = (ctx: PluginContext, step: string) =>
  ctx.db.sequelize.query('INSERT INTO topo_a_log (step) VALUES ($1)', { bind: [`${ctx.id} ${step}`] });
const migrationLogging = (plugin: string, createLog = false) =>
  defineMigration({
    name: '0001-log',
    async up({ sql }) {
      if (createLog) await sql('CREATE TABLE topo_a_log (seq bigserial PRIMARY KEY, step text NOT NULL)');
      // Fails if topo-a's migration has not run yet: the order is proven by the data itself.
      await sql('INSERT INTO topo_a_log (step) VALUES ($1)', [`${plugin} migrate`]);
    },
  });
const topo = (id: string, dependsOn: Record<string, string>, version = '1.0.0') =>
  testPlugin({ id, version, dependsOn }, { migrations: [migrationLogging(id, id === 'topo-a')], start: (ctx) => logStep(ctx, 'start').then(() => undefined) });

const started: string[] = [];
const recordStart = { start: async (ctx: PluginContext) => void started.push(ctx.id) };

let platform: TestPlatform;
let owner: Tenancy;
let rows: ListedPlugin[];

beforeAll(async () => {
  platform = await startTestPlatform({
    plugins: [
      // Listed dependants first: the registry, not the list, decides the order.
      topo('topo-c', { 'topo-b': '^1.0.0', 'topo-a': '>=1.0.0' }),
      topo('topo-b', { 'topo-a': '^1.2.0' }),
      topo('topo-a', {}, '1.2.3'),
      testPlugin({ id: 'too-new', coreRange: '>=2.0.0' }, recordStart),
      testPlugin({ id: 'too-old', coreRange: '<0.1.0' }, recordStart),
      testPlugin({ id: 'needs-ghost', dependsOn: { ghost: '^1.0.0' } }, recordStart),
      testPlugin({ id: 'needs-newer', dependsOn: { 'topo-a': '^2.0.0' } }, recordStart),
      testPlugin({ id: 'needs-needs-ghost', dependsOn: { 'needs-ghost': '*' } }, recordStart),
      testPlugin({ id: 'needs-too-new', dependsOn: { 'too-new': '*' } }, recordStart),
      testPlugin({ id: 'cycle-a', dependsOn: { 'cycle-b': '*' } }, recordStart),
      testPlugin({ id: 'cycle-b', dependsOn: { 'cycle-c': '*' } }, recordStart),
      testPlugin({ id: 'cycle-c', dependsOn: { 'cycle-a': '*' } }, recordStart),
      testPlugin({ id: 'needs-cycle', dependsOn: { 'cycle-a': '*' } }, recordStart),
      testPlugin({ id: 'duplicate', version: '1.0.0' }, recordStart),
      testPlugin({ id: 'duplicate', version: '2.0.0' }, recordStart),
      example,
    ],
  });
  owner = await createTenant(platform.kernel, 'ops', { owner: true });
  rows = await listPluginRows(platform.http, owner.admin);
});
afterAll(() => platform?.close());

const statusOf = (id: string, state: ListedPlugin['state'] = 'installed') => rows.find((row) => row.id === id && row.state === state);
const refusalOf = (id: string) => {
  const refused = rows.filter((plugin) => plugin.id === id && plugin.state === 'refused');
  expect(refused, `${id} is refused once`).toHaveLength(1);
  return refused[0]!.error;
};

describe('plugin versions and dependencies', () => {
  it(`refuses a plugin whose coreRange core ${CORE_VERSION} does not satisfy`, () => {
    expect(CORE_VERSION).toBe('0.1.0');
    expect(refusalOf('too-new')).toBe('requires core >=2.0.0, but core 0.1.0 is running');
    expect(refusalOf('too-old')).toBe('requires core <0.1.0, but core 0.1.0 is running');
  });

  it('refuses a plugin whose dependency is missing or too old, and whatever depends on a refused plugin', () => {
    expect(refusalOf('needs-ghost')).toBe('depends on ghost ^1.0.0, which is not available');
    expect(refusalOf('needs-newer')).toBe('depends on topo-a ^2.0.0, but 1.2.3 is present');
    expect(refusalOf('needs-needs-ghost')).toBe('depends on needs-ghost, which was refused (depends on ghost ^1.0.0, which is not available)');
    expect(refusalOf('needs-too-new')).toBe('depends on too-new, which was refused (requires core >=2.0.0, but core 0.1.0 is running)');
  });

  it('refuses every plugin in a dependency cycle, and its dependants', () => {
    for (const id of ['cycle-a', 'cycle-b', 'cycle-c', 'needs-cycle']) expect(refusalOf(id)).toMatch(/dependency cycle: .*cycle-a → cycle-b → cycle-c → cycle-a/);
  });

  it('refuses a second plugin claiming an id that is already provided', () => {
    expect(refusalOf('duplicate')).toBe('plugin id duplicate is already provided by first-party');
    expect(statusOf('duplicate')).toMatchObject({ version: '1.0.0', installedVersion: '1.0.0' });
    expect(statusOf('duplicate', 'refused')).toMatchObject({ version: '2.0.0', installedVersion: '1.0.0' });
  });

  it('never starts a refused plugin', () => {
    expect(started).toEqual(['duplicate']);
  });

  it('installs valid dependencies in topological order whatever the list order', async () => {
    for (const id of ['topo-a', 'topo-b', 'topo-c', 'example']) expect(statusOf(id), id).toMatchObject({ error: null });
    const steps = await selectRows<{ step: string }>(platform.kernel.db, 'SELECT step FROM topo_a_log ORDER BY seq');
    expect(steps.map((row) => row.step)).toEqual(['topo-a migrate', 'topo-a start', 'topo-b migrate', 'topo-b start', 'topo-c migrate', 'topo-c start']);
    for (const id of ['topo-a', 'topo-b', 'topo-c']) expect(await ledgerRows(platform.kernel.db, id)).toEqual([`${id}/0001-log`]);
  });

  it('refuses to uninstall a plugin others still depend on', async () => {
    const response = await platform.http.delete('/api/v1/admin/plugins/topo-a').set('Authorization', owner.admin);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'OSV_ERR_PLUGIN_STATE', message: 'Uninstall topo-b, topo-c first: they depend on topo-a' });
  });

  it('enables a plugin for a tenant only after the plugins it depends on', async () => {
    const acme = await createTenant(platform.kernel, 'acme');
    const early = await platform.http.post('/api/v1/admin/plugins/topo-b/enable').set('Authorization', acme.admin);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe('Enable topo-a first: topo-b depends on it');
    expect((await platform.http.post('/api/v1/admin/plugins/topo-a/enable').set('Authorization', acme.admin)).status).toBe(204);
    expect((await platform.http.post('/api/v1/admin/plugins/topo-b/enable').set('Authorization', acme.admin)).status).toBe(204);
  });
});
