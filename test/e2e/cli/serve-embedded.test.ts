import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCode, runCli, spawnCli, waitForOutput } from '../../support/cli.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'osv-embedded-'));
const env = {
  DATABASE_URL: '',
  REDIS_URL: '',
  OSV_DATA_DIR: dataDir,
  OSV_EMBEDDED_PG_PORT: String(40_000 + Math.floor(Math.random() * 20_000)),
  PORT: '0',
  LOG_LEVEL: 'info',
  OSV_SHUTDOWN_TIMEOUT_MS: '5000',
};
// Generous: on a busy machine one start (PostgreSQL, migrations, plugins) can take a minute.
const START_MS = 180_000;
const TEST_MS = 300_000;

const children: ChildProcess[] = [];
const cleanUp: string[] = [dataDir];
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exitCode(child);
    }
  }
  for (const directory of cleanUp) rmSync(directory, { recursive: true, force: true });
});

function serve(overrides: Record<string, string> = {}, cwd?: string): ChildProcess & { output: () => string } {
  const child = spawnCli(['serve'], { ...env, ...overrides }, cwd);
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return Object.assign(child, { output: () => output });
}

function listeningPort(output: string): number {
  return Number(/"port":(\d+),"msg":"osv is listening"/.exec(output)![1]);
}

async function expectCleanExit(child: ChildProcess & { output: () => string }): Promise<void> {
  const code = await exitCode(child);
  expect(code, `signal ${child.signalCode}; output:\n${child.output()}`).toBe(0);
  expect(errorLines(child.output())).toEqual([]);
}

/** Log lines at error level (50) or above. */
function errorLines(output: string): string[] {
  return output.split('\n').filter((line) => /"level":(5|6)\d/.test(line));
}

describe('osv serve on embedded defaults', () => {
  let password = '';

  it('starts a real PostgreSQL, prints the first admin once, serves, and stops cleanly on SIGTERM', async () => {
    const child = serve();
    const output = await waitForOutput(child, /osv is listening/, START_MS);
    password = /password: (\S+)/.exec(output)![1]!;
    const base = `http://127.0.0.1:${listeningPort(output)}`;
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'default', email: 'owner@osv.local', password }),
    });
    expect(login.status).toBe(200);
    expect(output).not.toMatch(/"password"/);
    expect(statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
  }, TEST_MS);

  it('keeps its data across restarts, answers CLI commands while it runs, and shuts down without errors', async () => {
    const child = serve();
    const output = await waitForOutput(child, /osv is listening/, START_MS);
    expect(output).not.toContain('First run');
    const base = `http://127.0.0.1:${listeningPort(output)}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'default', email: 'owner@osv.local', password }),
    });
    expect(login.status).toBe(200);

    // The CLI shares the running server's embedded PostgreSQL instead of starting a second one.
    const tenants = JSON.parse((await runCli(['tenants', 'list'], env)).stdout);
    expect(tenants.map((tenant: { slug: string }) => tenant.slug)).toEqual(['default']);
    const setup = JSON.parse((await runCli(['lti', 'setup', '--tenant', 'default'], env)).stdout);
    expect(setup.tool.dynamicRegistrationUrl).toContain('/lti/');
    const created = JSON.parse((await runCli(['tenants', 'create', 'acme', '--name', 'Acme', '--admin-email', 'it@acme.edu'], env)).stdout);
    expect(created.tenant.slug).toBe('acme');
    expect((await fetch(`${base}/ready`)).status).toBe(200);

    child.kill('SIGTERM');
    await expectCleanExit(child);
  }, TEST_MS);

  it('answers CLI commands with no server running, starting the embedded PostgreSQL for the command', async () => {
    const tenants = JSON.parse((await runCli(['tenants', 'list'], env)).stdout);
    expect(tenants.map((tenant: { slug: string }) => tenant.slug).sort()).toEqual(['acme', 'default']);
  }, TEST_MS);

  it.runIf(process.getuid?.() === 0)('runs as root from a directory the postgres user cannot enter', async () => {
    // Like a clone in root's home: every path below `home` is closed to other users.
    const home = mkdtempSync(path.join(tmpdir(), 'osv-root-home-'));
    chmodSync(home, 0o700);
    const checkout = path.join(home, 'checkout');
    mkdirSync(checkout);
    cleanUp.push(home);
    const child = serve({ OSV_DATA_DIR: '.osv', OSV_EMBEDDED_PG_PORT: String(40_000 + Math.floor(Math.random() * 20_000)) }, checkout);
    const output = await waitForOutput(child, /osv is listening/, START_MS);
    expect(output).toContain('First run');
    // The cluster lives where the postgres user can reach it; the data dir links to it.
    const cluster = realpathSync(path.join(checkout, '.osv', 'pg'));
    cleanUp.push(cluster);
    expect(cluster.startsWith(home)).toBe(false);
    child.kill('SIGTERM');
    await expectCleanExit(child);
  }, TEST_MS);

  it('refuses to start on a bad setting, naming the variable', async () => {
    const child = serve({ PORT: 'eighty' });
    expect(await exitCode(child)).toBe(1);
    expect(child.output()).toContain('PORT');
  }, TEST_MS);
});
