import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createTestDatabase } from '../../support/databases.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: '',
    PUBLIC_URL: 'https://osv.acme.edu',
    OSV_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    OSV_SIGNING_KEY: Buffer.alloc(32, 6).toString('base64'),
  };
  await runCli(['migrate'], env);
  await runCli(['tenants', 'create', 'acme', '--name', 'Acme University', '--admin-email', 'it@acme.edu'], env);
});
afterAll(() => database?.drop());

const json = (stdout: string) => JSON.parse(stdout);

// Each test starts the CLI several times as real processes (tsx compiling from source): on a busy
// machine one start alone can take half a minute.
describe('osv lti …', { timeout: 300_000 }, () => {
  it('registers an LMS by hand, adds a deployment and lists what is still missing', async () => {
    const registration = json(
      (await runCli(['lti', 'registrations', 'add', '--tenant', 'acme', '--preset', 'canvas-cloud', '--client-id', '10000000000042', '--name', 'Acme Canvas'], env)).stdout,
    );
    expect(registration).toMatchObject({ issuer: 'https://canvas.instructure.com', client_id: '10000000000042', status: 'active', source: 'manual' });
    const before = json((await runCli(['lti', 'registrations', 'list', '--tenant', 'acme'], env)).stdout);
    expect(before[0].nextSteps.join(' ')).toContain('Deployment Id');
    await runCli(['lti', 'deployments', 'add', registration.id, '1:abcdef', '--tenant', 'acme'], env);
    const after = json((await runCli(['lti', 'registrations', 'list', '--tenant', 'acme'], env)).stdout);
    expect(after[0].deployments).toEqual(['1:abcdef']);
  });

  it('prints what to paste into Moodle and Canvas', async () => {
    const setup = json((await runCli(['lti', 'setup', '--tenant', 'acme'], env)).stdout);
    expect(setup.tool).toMatchObject({
      loginUrl: 'https://osv.acme.edu/lti/tenants/acme/login',
      launchUrl: 'https://osv.acme.edu/lti/tenants/acme/launch',
      jwksUrl: 'https://osv.acme.edu/lti/tenants/acme/jwks.json',
      canvasConfigurationUrl: 'https://osv.acme.edu/lti/tenants/acme/canvas.json',
    });
    expect(setup.tool.dynamicRegistrationUrl).toMatch(/^https:\/\/osv\.acme\.edu\/lti\/tenants\/acme\/register\?key=/);
  });

  it('rotates and revokes signing keys', async () => {
    const [first] = json((await runCli(['lti', 'keys', 'list', '--tenant', 'acme'], env)).stdout);
    const rotated = json((await runCli(['lti', 'keys', 'rotate', '--tenant', 'acme', '--overlap-minutes', '15'], env)).stdout);
    expect(rotated.kid).not.toBe(first.kid);
    await runCli(['lti', 'keys', 'revoke', first.kid, '--tenant', 'acme'], env);
    const keys = json((await runCli(['lti', 'keys', 'list', '--tenant', 'acme'], env)).stdout);
    expect(keys.map((key: { kid: string; status: string }) => [key.kid, key.status])).toEqual([
      [rotated.kid, 'active'],
      [first.kid, 'revoked'],
    ]);
  });

  it('fails clearly on bad input', async () => {
    await expect(runCli(['lti', 'registrations', 'add', '--tenant', 'acme', '--client-id', 'x'], env)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('issuer: is required'),
    });
    await expect(runCli(['lti', 'keys', 'rotate', '--tenant', 'acme', '--overlap-minutes', '1'], env)).rejects.toMatchObject({
      stderr: expect.stringContaining('at least 10'),
    });
  });
});
