import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows, type Transaction } from '../../../core/db/database.js';
import { TenantScope } from '../../../core/db/tenant-scope.js';
import { firstPartyPlugins } from '../../../plugins/index.js';
import { providerEnv, seedCommerce, withCommercePlugins } from '../../support/commerce.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { seedQuiz, seedTutor } from '../../support/learning-seed.js';
import { seedLtiRows } from '../../support/lti-seed.js';
import { type OpenAiCompatibleServer, startOpenAiCompatibleServer } from '../../support/openai-compatible-server.js';
import { type StripeStub, startStripeStub } from '../../support/stripe-stub.js';

let platform: TestPlatform;
let acme: Tenancy;
let globex: Tenancy;
let acmeKeyId: string;
let acmeNoteId: string;
let acmeDeadLetterId: string;
let stripe: StripeStub;
let embeddings: OpenAiCompatibleServer;

type Row = Record<string, unknown>;

async function tenantOwnedTables(): Promise<string[]> {
  const rows = await selectRows<{ table_name: string }>(
    platform.kernel.db,
    `SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'tenant_id'
     ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

async function keyColumns(table: string): Promise<string[]> {
  const rows = await selectRows<{ column_name: string }>(
    platform.kernel.db,
    `SELECT k.column_name FROM information_schema.table_constraints c
     JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
     WHERE c.table_name = $1 AND c.constraint_type = 'PRIMARY KEY' AND k.column_name <> 'tenant_id'`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

async function fingerprint(table: string, tenantId: string, transaction?: Transaction): Promise<string> {
  const [row] = await selectRows<{ digest: string | null; count: string }>(
    platform.kernel.db,
    `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*) AS count FROM "${table}" t WHERE tenant_id = $1`,
    [tenantId],
    transaction,
  );
  return `${row?.count}:${row?.digest}`;
}

beforeAll(async () => {
  stripe = await startStripeStub();
  // An embedding endpoint, so the tutor's vector tables have rows to walk too.
  embeddings = await startOpenAiCompatibleServer();
  // Composed as in production, so the LTI module's tables are seeded and walked too.
  // Quick retries: the seeded course's roster sync fails (its LMS does not exist) and is retried until dead.
  platform = await startTestPlatform({
    plugins: withCommercePlugins(firstPartyPlugins),
    env: { ...providerEnv({ stripe }), EMBEDDING_BASE_URL: embeddings.baseUrl, EMBEDDING_MODEL: 'test-embed' },
    composed: true,
    kernel: { jobBackoffMs: 10 },
  });
  const { kernel, http } = platform;
  acme = await createTenant(kernel, 'acme');
  globex = await createTenant(kernel, 'globex');
  for (const tenant of [acme, globex]) {
    await kernel.users.upsert(tenant.tenantId, { issuer: 'site', subject: 'same-external-id', role: 'learner' });
    await kernel.publishableKeys.create(tenant.tenantId, { name: 'site', allowedOrigins: ['https://site.example'], allowedWidgets: [] });
    await kernel.plugins.setEnabled(tenant.tenantId, 'example', true);
    await http.put('/api/v1/admin/plugins/example/settings').set('Authorization', tenant.admin).send({ webhookSecret: `secret-${tenant.slug}` });
    await http.put('/api/v1/admin/capabilities').set('Authorization', tenant.admin).send({ role: 'learner', capability: 'example:write', granted: true });
    await seedCommerce(kernel, http, tenant, stripe);
    await seedLtiRows(platform.composition!, tenant);
    await seedTutor(kernel, http, tenant);
    await seedQuiz(kernel, http, tenant);
  }
  const key = await http.post('/api/v1/admin/keys').set('Authorization', acme.admin).send({ name: 'acme server' });
  acmeKeyId = key.body.key.id;
  const note = await http.post('/api/v1/plugins/example/notes').set('Authorization', acme.instructor).send({ title: 'acme only', body: 'private words' });
  acmeNoteId = note.body.id;
  // A job that can never succeed, so acme owns a dead letter.
  kernel.jobRegistry.define({ name: 'core:always-fails', maxAttempts: 1, handler: async () => Promise.reject(new Error('boom')) });
  await kernel.jobs.enqueue('core:always-fails', { secret: 'acme' }, { tenantId: acme.tenantId });
  acmeDeadLetterId = await eventually(async () => {
    const [letter] = await new TenantScope(kernel.db, acme.tenantId).select<{ id: string }>('dead_letters');
    return letter?.id;
  });
  // The emails the seeded enrollments and payments cause are written by jobs.
  await eventually(async () => (await new TenantScope(kernel.db, acme.tenantId).select('email_messages')).length >= 3);
  // Jobs the seeding caused still write to the tenants' tables (each failed roster sync attempt adds a
  // launch log entry): the fingerprints below compare rows only once every such job has finished.
  await eventually(async () => (await tenantJobsRunningSoon()) === 0, 120_000);
}, 300_000);

/** Tenant jobs that are running or due within ten minutes (hold expiries and the like are due much later). */
async function tenantJobsRunningSoon(): Promise<number> {
  const [row] = await selectRows<{ count: string }>(
    platform.kernel.db,
    `SELECT count(*) AS count FROM outbox WHERE tenant_id IS NOT NULL
       AND (status = 'dispatched' OR (status = 'pending' AND run_at < now() + interval '10 minutes'))`,
  );
  return Number(row!.count);
}
afterAll(async () => {
  await platform?.close();
  await stripe?.close();
  await embeddings?.close();
});

describe('tenant isolation', () => {
  it('knows every tenant-owned table and has seeded rows in each for the victim tenant', async () => {
    const tables = await tenantOwnedTables();
    expect(tables).toEqual(
      expect.arrayContaining([
        'admin_sessions',
        'admin_users',
        'api_keys',
        'capability_grants',
        'dead_letters',
        'email_messages',
        'enrollment_courses',
        'enrollment_enrollments',
        'enrollment_holds',
        'enrollment_lessons',
        'enrollment_modules',
        'enrollment_progress',
        'enrollment_requests',
        'example_notes',
        'lti_contexts',
        'lti_deep_link_requests',
        'lti_deployments',
        'lti_launch_log',
        'lti_memberships',
        'lti_registrations',
        'lti_resource_links',
        'lti_tool_keys',
        'outbox',
        'payments_checkouts',
        'payments_events',
        'payments_refunds',
        'publishable_keys',
        'tenant_plugins',
        'users',
      ]),
    );
    for (const table of tables) {
      const rows = await new TenantScope(platform.kernel.db, acme.tenantId).select(table);
      expect(rows.length, `acme has rows in ${table}`).toBeGreaterThan(0);
    }
  });

  it('never lets one tenant read, change or delete another tenant’s rows through the scoped helper', async () => {
    const { db } = platform.kernel;
    const intruder = new TenantScope(db, globex.tenantId);
    for (const table of await tenantOwnedTables()) {
      const before = await fingerprint(table, acme.tenantId);
      const victimRows = await new TenantScope(db, acme.tenantId).select<Row>(table);
      const seen = await intruder.select<Row>(table);
      expect(seen.every((row) => row.tenant_id === globex.tenantId), `${table}: reads stay in the tenant`).toBe(true);
      const keys = await keyColumns(table);
      for (const victim of victimRows) {
        const where = Object.fromEntries(keys.map((column) => [column, victim[column]]));
        // The intruder may own a row with the same key (same grant, same plugin): it must never get the victim's.
        const found = await intruder.findOne<Row>(table, where);
        expect(found?.tenant_id ?? globex.tenantId, `${table}: lookup by the victim's key`).toBe(globex.tenantId);
        const column = Object.keys(victim).find((name) => !keys.includes(name) && name !== 'tenant_id')!;
        // Writes run in a transaction rolled back afterwards: they may touch the intruder's own rows.
        const transaction = await db.transaction();
        try {
          const updated = await intruder.update<Row>(table, where, { [column]: victim[column] }, transaction);
          expect(updated.every((row) => row.tenant_id === globex.tenantId), `${table}: update`).toBe(true);
          await intruder.remove(table, where, transaction);
          expect(await fingerprint(table, acme.tenantId, transaction), `${table}: victim rows unchanged`).toBe(before);
        } finally {
          await transaction.rollback();
        }
      }
      expect(await fingerprint(table, acme.tenantId), `${table}: victim rows unchanged`).toBe(before);
    }
  });

  it('refuses hand-written SQL that does not filter on the tenant', async () => {
    const scope = new TenantScope(platform.kernel.db, globex.tenantId);
    await expect(scope.query('SELECT * FROM example_notes')).rejects.toThrow(/tenant_id = \$1/);
  });

  it('keeps every HTTP surface inside the caller’s tenant', async () => {
    const { http } = platform;
    const keys = await http.get('/api/v1/admin/keys').set('Authorization', globex.admin);
    expect(keys.body.map((key: { id: string }) => key.id)).not.toContain(acmeKeyId);
    const revoke = await http.delete(`/api/v1/admin/keys/${acmeKeyId}`).set('Authorization', globex.admin);
    expect(revoke.status).toBe(404);
    const notes = await http.get('/api/v1/plugins/example/notes').set('Authorization', globex.learner);
    expect(notes.status).toBe(200);
    expect(notes.body.map((note: { id: string }) => note.id)).not.toContain(acmeNoteId);
    const letters = await http.get('/api/v1/admin/jobs/dead-letters').set('Authorization', globex.admin);
    expect(letters.status).toBe(200);
    // globex has dead letters of its own (its seeded roster sync); never acme's.
    expect(letters.body.map((letter: { id: string }) => letter.id)).not.toContain(acmeDeadLetterId);
    expect(letters.body.every((letter: { tenant_id: string }) => letter.tenant_id === globex.tenantId)).toBe(true);
    const retry = await http.post(`/api/v1/admin/jobs/dead-letters/${acmeDeadLetterId}/retry`).set('Authorization', globex.admin);
    expect(retry.status).toBe(404);
    const settings = await http.get('/api/v1/admin/plugins/example/settings').set('Authorization', globex.admin);
    expect(JSON.stringify(settings.body)).not.toContain('acme');
    const tenant = await http.get('/api/v1/tenant').set('Authorization', globex.learner);
    expect(tenant.body.slug).toBe('globex');
    const users = await http.get('/api/v1/admin/users').set('Authorization', globex.admin);
    expect(users.body.map((user: { email: string }) => user.email)).toEqual(['admin@globex.test']);
  });

  it('lets only a platform owner act on another tenant', async () => {
    const { http, kernel } = platform;
    const switching = await http.get('/api/v1/tenant').set('Authorization', globex.admin).set('Osv-Tenant', 'acme');
    expect(switching.status).toBe(403);
    expect(switching.body.error.code).toBe('OSV_ERR_FORBIDDEN');
    const owner = await createTenant(kernel, 'platform', { owner: true });
    const asOwner = await http.get('/api/v1/tenant').set('Authorization', owner.admin).set('Osv-Tenant', 'acme');
    expect(asOwner.body.slug).toBe('acme');
    const unknown = await http.get('/api/v1/tenant').set('Authorization', owner.admin).set('Osv-Tenant', 'nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('OSV_ERR_TENANT_NOT_FOUND');
  });

  it('refuses unknown and revoked secret keys', async () => {
    const { http } = platform;
    const forged = await http.get('/api/v1/tenant').set('Authorization', 'Bearer sk_forged000000000000000000000000');
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('OSV_ERR_BAD_API_KEY');
    const created = await http.post('/api/v1/admin/keys').set('Authorization', acme.admin).send({ name: 'short-lived', role: 'learner' });
    expect(created.body.secret).toMatch(/^sk_/);
    const auth = `Bearer ${created.body.secret}`;
    expect((await http.get('/api/v1/tenant').set('Authorization', auth)).status).toBe(200);
    const listed = await http.get('/api/v1/admin/keys').set('Authorization', acme.admin);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    await http.delete(`/api/v1/admin/keys/${created.body.key.id}`).set('Authorization', acme.admin).expect(204);
    const revoked = await http.get('/api/v1/tenant').set('Authorization', auth);
    expect(revoked.status).toBe(401);
    const stored = await selectRows<{ token_hash: string }>(platform.kernel.db, 'SELECT token_hash FROM api_keys WHERE id = $1', [created.body.key.id]);
    expect(stored[0]!.token_hash).not.toContain(created.body.secret);
  });
});
