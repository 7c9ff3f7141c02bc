import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../support/databases.js';
import { runCli } from '../../support/cli.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url, REDIS_URL: '', OSV_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'), OSV_SIGNING_KEY: Buffer.alloc(32, 4).toString('base64') };
  await runCli(['tenants', 'create', 'acme', '--name', 'Acme University', '--admin-email', 'it@acme.edu'], env);
}, 300_000);
afterAll(() => database?.drop());

describe('osv lti setup', () => {
  it('warns that an LMS needs a public https address while PUBLIC_URL is not one', { timeout: 300_000 }, async () => {
    const local = await runCli(['lti', 'setup', '--tenant', 'acme'], { ...env, PUBLIC_URL: 'http://localhost:3000' });
    expect(local.stderr).toContain('PUBLIC_URL is http://localhost:3000');
    expect(local.stderr).toContain('https://');
    expect(JSON.parse(local.stdout).warnings).toHaveLength(1);

    const live = await runCli(['lti', 'setup', '--tenant', 'acme'], { ...env, PUBLIC_URL: 'https://osv.acme.edu' });
    expect(live.stderr).not.toContain('warning');
    const guide = JSON.parse(live.stdout);
    expect(guide.warnings).toEqual([]);
    expect(guide.tool.loginUrl).toBe('https://osv.acme.edu/lti/tenants/acme/login');
  });

  it('names each value to copy back with the option `osv lti registrations add` takes, and those options work', { timeout: 300_000 }, async () => {
    const guide = JSON.parse((await runCli(['lti', 'setup', '--tenant', 'acme'], { ...env, PUBLIC_URL: 'https://osv.acme.edu' })).stdout);
    const help = (await runCli(['lti', 'registrations', 'add', '--help'], env)).stdout;
    const options = [...guide.moodle.manual.thenRegisterInOsv, ...guide.canvas.manual.thenRegisterInOsv].map((value: { cliOption: string }) => value.cliOption);
    for (const option of options) expect(help).toContain(`${option} <`);

    const byOption: Record<string, string> = {
      '--issuer': 'https://moodle.acme.edu',
      '--client-id': 'client-1',
      '--deployment': 'deployment-1',
      '--auth-url': 'https://moodle.acme.edu/mod/lti/auth.php',
      '--token-url': 'https://moodle.acme.edu/mod/lti/token.php',
      '--jwks-url': 'https://moodle.acme.edu/mod/lti/certs.php',
    };
    const args = guide.moodle.manual.thenRegisterInOsv.flatMap((value: { cliOption: string }) => [value.cliOption, byOption[value.cliOption]!]);
    const registration = JSON.parse((await runCli(['lti', 'registrations', 'add', '--tenant', 'acme', ...args], env)).stdout);
    expect(registration).toMatchObject({ issuer: 'https://moodle.acme.edu', client_id: 'client-1' });
  });
});
