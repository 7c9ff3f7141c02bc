import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../core/http/app.js';
import { defineMigration } from '../../../core/plugin-api.js';
import example from '../../../plugins/example/plugin.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { listPlugins, pluginStatus, testPlugin } from './plugin-test-kit.js';

const cap = (id: string) => ({ [`${id}:use`]: { description: 'Use it', defaultRoles: ['learner' as const] } });

/** Declares a route, then throws from register(). */
const explodes = testPlugin(
  { id: 'explodes', capabilities: cap('explodes') },
  {
    register(ctx) {
      ctx.http.route({ method: 'get', path: '/ping', summary: 'Ping', access: 'explodes:use', handler: () => ({ pong: true }) });
      throw new Error('register exploded');
    },
  },
);

/** Registers fine; its start() rejects. */
const badStart = testPlugin(
  { id: 'bad-start', capabilities: cap('bad-start') },
  {
    migrations: [
      defineMigration({
        name: '0001-table',
        async up({ sql }) {
          await sql('CREATE TABLE bad_start_things (id int)');
        },
      }),
    ],
    register(ctx) {
      ctx.http.route({ method: 'get', path: '/ping', summary: 'Ping', access: 'bad-start:use', handler: () => ({ pong: true }) });
    },
    start: async () => {
      throw new Error('start rejected');
    },
  },
);

const needsExplodes = testPlugin({ id: 'needs-explodes', dependsOn: { explodes: '^1.0.0' } });
const healthy = testPlugin(
  { id: 'healthy', capabilities: cap('healthy') },
  {
    register(ctx) {
      ctx.http.route({ method: 'get', path: '/ping', summary: 'Ping', access: 'healthy:use', handler: () => ({ pong: 'healthy' }) });
    },
  },
);

let platform: TestPlatform;
let owner: Tenancy;
let acme: Tenancy;

beforeAll(async () => {
  // `needs-explodes` is listed before `healthy` and `example`: a failure must not stop the plugins after it.
  platform = await startTestPlatform({ plugins: [explodes, needsExplodes, badStart, healthy, example] });
  owner = await createTenant(platform.kernel, 'ops', { owner: true });
  acme = await createTenant(platform.kernel, 'acme');
});
afterAll(() => platform?.close());

describe('a plugin whose register() or start() throws', () => {
  it('is reported failed with the reason, and serves nothing', async () => {
    const plugins = await listPlugins(platform.http, owner.admin);
    expect(plugins.get('explodes')).toMatchObject({ state: 'failed', error: 'Plugin explodes failed to start: register exploded' });
    expect(plugins.get('bad-start')).toMatchObject({ state: 'failed', error: 'Plugin bad-start failed to start: start rejected' });
    expect(plugins.get('needs-explodes')).toMatchObject({ state: 'failed', error: 'Plugin needs-explodes needs explodes installed first' });

    const enable = await platform.http.post('/api/v1/admin/plugins/explodes/enable').set('Authorization', acme.admin);
    expect(enable.status).toBe(409);
    const route = await platform.http.get('/api/v1/plugins/explodes/ping').set('Authorization', acme.learner);
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('OSV_ERR_PLUGIN_NOT_FOUND');
  });

  it('does not stop the other plugins or the core', async () => {
    const plugins = await listPlugins(platform.http, owner.admin);
    expect(plugins.get('healthy')).toMatchObject({ state: 'installed', error: null });
    expect(plugins.get('example')).toMatchObject({ state: 'installed', error: null });
    for (const id of ['healthy', 'example']) {
      expect((await platform.http.post(`/api/v1/admin/plugins/${id}/enable`).set('Authorization', acme.admin)).status).toBe(204);
    }
    expect((await platform.http.get('/api/v1/plugins/healthy/ping').set('Authorization', acme.learner)).body).toEqual({ pong: 'healthy' });
    expect((await platform.http.get('/api/v1/plugins/example/notes').set('Authorization', acme.learner)).status).toBe(200);
    expect((await platform.http.get('/api/v1/tenant').set('Authorization', acme.admin)).status).toBe(200);
  });

  it('answers an install through the admin API with the reason instead of a bare 500', async () => {
    const bomb = testPlugin(
      { id: 'late-bomb' },
      {
        register() {
          throw new Error('late register failure');
        },
      },
    );
    const kernel = await platform.restart({ plugins: [example, healthy, bomb], kernel: { autoInstall: false } });
    const http = supertest(createApp(kernel));
    expect(await pluginStatus(http, owner.admin, 'late-bomb')).toMatchObject({ state: 'discovered', error: null });

    const response = await http.post('/api/v1/admin/plugins/late-bomb/install').set('Authorization', owner.admin);
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'OSV_ERR_PLUGIN_REFUSED', message: 'Plugin late-bomb failed to start: late register failure' });
    expect(await pluginStatus(http, owner.admin, 'late-bomb')).toMatchObject({
      state: 'failed',
      error: 'Plugin late-bomb failed to start: late register failure',
    });
    expect((await pluginStatus(http, owner.admin, 'healthy')).state).toBe('installed');
    await kernel.shutdown();
  });
});
