import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../support/databases.js';
import { runCli } from '../../support/cli.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url, REDIS_URL: '', OSV_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'), OSV_SIGNING_KEY: Buffer.alloc(32, 4).toString('base64') };
});
afterAll(() => database?.drop());

const json = (stdout: string) => JSON.parse(stdout);

describe('osv CLI', () => {
  it('migrates, creates a tenant and a key, and manages a plugin for the tenant', { timeout: 300_000 }, async () => {
    const migrated = await runCli(['migrate'], env);
    expect(migrated.stdout).toMatch(/example\s+installed\s+1\.0\.0/);

    const tenant = json((await runCli(['tenants', 'create', 'acme', '--name', 'Acme University', '--admin-email', 'it@acme.edu'], env)).stdout);
    expect(tenant.tenant.slug).toBe('acme');
    expect(tenant.admin.password.length).toBeGreaterThanOrEqual(20);

    const key = json((await runCli(['keys', 'create', '--tenant', 'acme', '--name', 'lms sync', '--role', 'instructor'], env)).stdout);
    expect(key.secret).toMatch(/^sk_/);
    const keys = json((await runCli(['keys', 'list', '--tenant', 'acme'], env)).stdout);
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys)).not.toContain(key.secret);

    await runCli(['plugins', 'enable', 'example', '--tenant', 'acme'], env);
    const configured = await runCli(
      ['plugins', 'configure', 'example', '--tenant', 'acme', '--set', 'greeting=Hola', '--set', 'maxNoteLength=500', '--set', 'webhookSecret=whsec_0123456789'],
      env,
    );
    expect(json(configured.stdout)).toEqual({ values: { greeting: 'Hola', maxNoteLength: 500 }, secrets: { webhookSecret: true } });
    expect(configured.stdout).not.toContain('whsec_0123456789');

    const plugins = json((await runCli(['plugins', 'list'], env)).stdout);
    expect(plugins.find((plugin: { id: string }) => plugin.id === 'example')).toMatchObject({ state: 'installed', installedVersion: '1.0.0' });

    await runCli(['keys', 'revoke', key.key.id, '--tenant', 'acme'], env);
    const revoked = json((await runCli(['keys', 'list', '--tenant', 'acme'], env)).stdout);
    expect(revoked[0].revoked_at).not.toBeNull();
  });

  it('fails with a clear message and exit code 1 on bad input', { timeout: 300_000 }, async () => {
    await expect(runCli(['plugins', 'enable', 'example', '--tenant', 'no-such-tenant'], env)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No tenant "no-such-tenant"'),
    });
    await expect(runCli(['plugins', 'configure', 'example', '--tenant', 'acme', '--set', 'maxNoteLength=-5'], env)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('maxNoteLength'),
    });
    await expect(runCli(['plugins', 'uninstall', 'example'], env)).rejects.toMatchObject({ stderr: expect.stringContaining('--yes') });
    await expect(runCli(['tenants', 'create', 'acme', '--name', 'Again', '--admin-email', 'x@acme.edu'], env)).rejects.toMatchObject({
      stderr: expect.stringContaining('already exists'),
    });
  });
});
