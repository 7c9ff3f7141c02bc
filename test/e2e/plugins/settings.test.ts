import { createHash } from 'node:crypto';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { selectOne } from '../../../core/db/database.js';
import { createApp } from '../../../core/http/app.js';
import example from '../../../plugins/example/plugin.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { testPlugin } from './plugin-test-kit.js';

const WEBHOOK_SECRET = 'whsec-plaintext-4f1c9a';
const VAULT_TOKEN = 'vault-token-plaintext-77e2';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A tiny plugin that proves, without revealing it, that ctx.settings() hands it the decrypted secret. */
const vault = testPlugin(
  {
    id: 'vault',
    capabilities: { 'vault:check': { description: 'Check the token', defaultRoles: ['learner'] } },
    settings: { schema: z.object({ endpoint: z.url().optional(), apiToken: z.string().min(8).optional() }), secretKeys: ['apiToken'] },
  },
  {
    register(ctx) {
      ctx.http.route({
        method: 'get',
        path: '/token-check',
        summary: 'Whether the token is set, and its digest',
        access: 'vault:check',
        handler: async ({ principal }) => {
          const { apiToken } = await ctx.settings<{ apiToken?: string }>(principal!.tenantId);
          return { present: typeof apiToken === 'string', sha256: apiToken ? sha256(apiToken) : null };
        },
      });
    },
  },
);

let platform: TestPlatform;
let acme: Tenancy;
let globex: Tenancy;

const settingsRow = (tenantId: string, pluginId: string) =>
  selectOne<{ settings: Record<string, unknown>; secrets_encrypted: string | null; raw: string }>(
    platform.kernel.db,
    'SELECT settings, secrets_encrypted, tenant_plugins::text AS raw FROM tenant_plugins WHERE tenant_id = $1 AND plugin_id = $2',
    [tenantId, pluginId],
  );

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: [example, vault] });
  acme = await createTenant(platform.kernel, 'acme');
  globex = await createTenant(platform.kernel, 'globex');
  for (const tenant of [acme, globex]) {
    for (const id of ['example', 'vault']) {
      expect((await platform.http.post(`/api/v1/admin/plugins/${id}/enable`).set('Authorization', tenant.admin)).status).toBe(204);
    }
  }
});
afterAll(() => platform?.close());

describe('plugin settings', () => {
  it("validates with the plugin's schema and names the bad field", async () => {
    const response = await platform.http
      .put('/api/v1/admin/plugins/example/settings')
      .set('Authorization', acme.admin)
      .send({ greeting: 'Hi', maxNoteLength: 'lots', webhookSecret: 'short' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('OSV_ERR_VALIDATION');
    const fields = response.body.error.details.map((detail: { field: string }) => detail.field);
    expect(fields.sort()).toEqual(['body.maxNoteLength', 'body.webhookSecret']);
    expect(await settingsRow(acme.tenantId, 'example')).toMatchObject({ settings: {}, secrets_encrypted: null });
  });

  it('stores the secret encrypted, reports it only as set, and the plugin sees the plain part', async () => {
    const put = await platform.http
      .put('/api/v1/admin/plugins/example/settings')
      .set('Authorization', acme.admin)
      .send({ greeting: 'Kia ora', webhookSecret: WEBHOOK_SECRET });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ values: { greeting: 'Kia ora', maxNoteLength: 10_000 }, secrets: { webhookSecret: true } });
    expect(put.text).not.toContain(WEBHOOK_SECRET);

    const row = await settingsRow(acme.tenantId, 'example');
    expect(row!.settings).toEqual({ greeting: 'Kia ora', maxNoteLength: 10_000 });
    expect(row!.secrets_encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(row!.raw).not.toContain(WEBHOOK_SECRET);
    expect(row!.raw).not.toContain(Buffer.from(WEBHOOK_SECRET).toString('base64'));

    const get = await platform.http.get('/api/v1/admin/plugins/example/settings').set('Authorization', acme.admin);
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ values: { greeting: 'Kia ora', maxNoteLength: 10_000 }, secrets: { webhookSecret: true } });
    expect(get.text).not.toContain(WEBHOOK_SECRET);

    const greeting = await platform.http.get('/api/v1/plugins/example/greeting').set('Authorization', acme.learner);
    expect(greeting.body).toEqual({ greeting: 'Kia ora' });
  });

  it('keeps the secret when other settings change, and keeps tenants apart', async () => {
    const put = await platform.http.put('/api/v1/admin/plugins/example/settings').set('Authorization', acme.admin).send({ greeting: 'Hello again' });
    expect(put.body.secrets).toEqual({ webhookSecret: true });
    expect((await platform.http.get('/api/v1/plugins/example/greeting').set('Authorization', acme.learner)).body).toEqual({ greeting: 'Hello again' });

    const other = await platform.http.get('/api/v1/admin/plugins/example/settings').set('Authorization', globex.admin);
    expect(other.body).toEqual({ values: {}, secrets: { webhookSecret: false } });
    expect((await platform.http.get('/api/v1/plugins/example/greeting').set('Authorization', globex.learner)).body).toEqual({ greeting: 'Hello' });
  });

  it('hands the plugin the decrypted secret through ctx.settings(), also after a restart', async () => {
    const before = await platform.http.get('/api/v1/plugins/vault/token-check').set('Authorization', acme.learner);
    expect(before.body).toEqual({ present: false, sha256: null });

    const put = await platform.http
      .put('/api/v1/admin/plugins/vault/settings')
      .set('Authorization', acme.admin)
      .send({ endpoint: 'https://vault.example.org', apiToken: VAULT_TOKEN });
    expect(put.body).toEqual({ values: { endpoint: 'https://vault.example.org' }, secrets: { apiToken: true } });
    expect((await settingsRow(acme.tenantId, 'vault'))!.raw).not.toContain(VAULT_TOKEN);

    const after = await platform.http.get('/api/v1/plugins/vault/token-check').set('Authorization', acme.learner);
    expect(after.body).toEqual({ present: true, sha256: sha256(VAULT_TOKEN) });
    const otherTenant = await platform.http.get('/api/v1/plugins/vault/token-check').set('Authorization', globex.learner);
    expect(otherTenant.body).toEqual({ present: false, sha256: null });

    const restarted = supertest(createApp(await platform.restart()));
    expect((await restarted.get('/api/v1/plugins/vault/token-check').set('Authorization', acme.learner)).body).toEqual({
      present: true,
      sha256: sha256(VAULT_TOKEN),
    });
  });

  it('lets only those who may configure plugins read or change settings', async () => {
    for (const who of [acme.learner, acme.instructor]) {
      const get = await platform.http.get('/api/v1/admin/plugins/example/settings').set('Authorization', who);
      expect(get.status).toBe(403);
      const put = await platform.http.put('/api/v1/admin/plugins/example/settings').set('Authorization', who).send({ greeting: 'pwned' });
      expect(put.status).toBe(403);
      expect(put.body.error.code).toBe('OSV_ERR_FORBIDDEN');
    }
    expect((await settingsRow(acme.tenantId, 'example'))!.settings).toMatchObject({ greeting: 'Hello again' });
  });
});
