import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineMigration, type OsvPlugin } from '../../../core/plugin-api.js';
import example from '../../../plugins/example/plugin.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { ledgerRows, type ListedPlugin, listPlugins, pluginWithRawManifest, tablesStartingWith } from './plugin-test-kit.js';

const valid = { name: 'Strict', version: '1.0.0', coreRange: '>=0.1.0 <1.0.0' };
const registered: string[] = [];

/** Each case: a manifest the strict schema must refuse, and the reason the admin API has to show. */
const refusals: Array<{ id: string; manifest: Record<string, unknown>; reason: RegExp }> = [
  {
    id: 'unknown-key',
    manifest: { ...valid, id: 'unknown-key', homepage: 'https://example.org' },
    reason: /^invalid manifest: manifest: Unrecognized key: "homepage"/,
  },
  {
    id: 'nested-unknown-key',
    manifest: { ...valid, id: 'nested-unknown-key', capabilities: { 'nested-unknown-key:read': { description: 'Read', defaultRoles: [], scope: 'all' } } },
    reason: /capabilities\.nested-unknown-key:read: Unrecognized key: "scope"/,
  },
  { id: 'Bad_Id', manifest: { ...valid, id: 'Bad_Id' }, reason: /^invalid manifest: id: must be 2-31 lowercase letters, digits or hyphens/ },
  { id: 'admin', manifest: { ...valid, id: 'admin' }, reason: /^invalid manifest: id: is reserved by the core$/ },
  { id: 'bad-version', manifest: { ...valid, id: 'bad-version', version: '1.0' }, reason: /^invalid manifest: version: must be a semver version/ },
  { id: 'bad-range', manifest: { ...valid, id: 'bad-range', coreRange: 'soon-ish' }, reason: /^invalid manifest: coreRange: must be a semver range/ },
  {
    id: 'bad-dep-range',
    manifest: { ...valid, id: 'bad-dep-range', dependsOn: { example: 'whatever is newest' } },
    reason: /^invalid manifest: dependsOn\.example: must be a semver range/,
  },
  {
    id: 'foreign-cap',
    manifest: { ...valid, id: 'foreign-cap', capabilities: { 'example:write': { description: 'Steal a name', defaultRoles: ['learner'] } } },
    reason: /^invalid manifest: capabilities\.example:write: must be named foreign-cap:<verb>$/,
  },
  {
    id: 'unnamespaced-cap',
    manifest: { ...valid, id: 'unnamespaced-cap', capabilities: { read: { description: 'No namespace', defaultRoles: [] } } },
    reason: /capabilities\.read: must be named unnamespaced-cap:<verb>/,
  },
  {
    id: 'stray-secret',
    manifest: { ...valid, id: 'stray-secret', settings: { schema: z.object({ url: z.string() }), secretKeys: ['apiToken'] } },
    reason: /^invalid manifest: settings\.secretKeys: apiToken is not a settings key$/,
  },
  {
    id: 'not-zod-settings',
    manifest: { ...valid, id: 'not-zod-settings', settings: { schema: { url: 'string' } } },
    reason: /settings\.schema: must be a zod object schema/,
  },
  {
    id: 'foreign-event',
    manifest: { ...valid, id: 'foreign-event', events: { emits: ['example.note.created'] } },
    reason: /events\.emits: example\.note\.created must start with foreign-event\./,
  },
];

let platform: TestPlatform;
let owner: Tenancy;
let acme: Tenancy;
let plugins: Map<string, ListedPlugin>;

beforeAll(async () => {
  platform = await startTestPlatform({
    plugins: [
      example,
      ...refusals.map(({ manifest }) =>
        pluginWithRawManifest(manifest, {
          migrations: [
            defineMigration({
              name: '0001-never',
              async up({ sql }) {
                await sql('CREATE TABLE never_applied (id int)');
              },
            }),
          ],
          register: () => {
            registered.push(String(manifest.id));
          },
        }),
      ),
      // No register function: not a plugin at all.
      { manifest: { ...valid, id: 'no-register' } } as unknown as OsvPlugin,
    ],
  });
  owner = await createTenant(platform.kernel, 'ops', { owner: true });
  acme = await createTenant(platform.kernel, 'acme');
  plugins = await listPlugins(platform.http, owner.admin);
});
afterAll(() => platform?.close());

describe('strict plugin manifests', () => {
  it.each(refusals)('refuses $id and says why in GET /api/v1/admin/plugins', ({ id, reason }) => {
    const status = plugins.get(id);
    expect(status, `${id} is listed`).toBeDefined();
    expect(status).toMatchObject({ state: 'refused', source: 'first-party', installedVersion: null, capabilities: [], enabled: false });
    expect(status!.error).toMatch(reason);
  });

  it('refuses a module that is not a plugin object', () => {
    const refusedWithoutId = [...plugins.values()].filter((plugin) => plugin.error?.startsWith('does not export a plugin'));
    expect(refusedWithoutId).toHaveLength(1);
    expect(refusedWithoutId[0]).toMatchObject({ state: 'refused', source: 'first-party' });
  });

  it('never runs a refused plugin: no register(), no migrations, no routes', async () => {
    expect(registered).toEqual([]);
    expect(await tablesStartingWith(platform.kernel.db, 'never_')).toEqual([]);
    for (const { id } of refusals) expect(await ledgerRows(platform.kernel.db, id)).toEqual([]);
    const route = await platform.http.get('/api/v1/plugins/bad-version/anything').set('Authorization', acme.learner);
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('OSV_ERR_PLUGIN_NOT_FOUND');
  });

  it('answers 422 with the reason when an owner tries to install a refused plugin', async () => {
    const response = await platform.http.post('/api/v1/admin/plugins/bad-range/install').set('Authorization', owner.admin);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('OSV_ERR_PLUGIN_REFUSED');
    expect(response.body.error.message).toMatch(/^Plugin bad-range was refused: invalid manifest: coreRange: must be a semver range/);
  });

  it('keeps the valid plugins and the core working', async () => {
    expect(plugins.get('example')).toMatchObject({ state: 'installed', version: '1.0.0', installedVersion: '1.0.0', error: null });
    expect((await platform.http.post('/api/v1/admin/plugins/example/enable').set('Authorization', acme.admin)).status).toBe(204);
    const notes = await platform.http.get('/api/v1/plugins/example/notes').set('Authorization', acme.learner);
    expect(notes.status).toBe(200);
    expect(notes.body).toEqual([]);
    expect((await platform.http.get('/api/v1/tenant').set('Authorization', acme.admin)).status).toBe(200);
  });
});
