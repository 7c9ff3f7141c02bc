import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCode, spawnCli, waitForOutput } from '../../support/cli.js';

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

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exitCode(child);
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function serve(overrides: Record<string, string> = {}): ChildProcess {
  const child = spawnCli(['serve'], { ...env, ...overrides });
  children.push(child);
  return child;
}

function listeningPort(output: string): number {
  return Number(/"port":(\d+),"msg":"osv is listening"/.exec(output)![1]);
}

describe('osv serve on embedded defaults', () => {
  let password = '';

  it('starts a real PostgreSQL, prints the first admin once, serves, and stops cleanly on SIGTERM', async () => {
    const child = serve();
    const output = await waitForOutput(child, /osv is listening/, 120_000);
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
  });

  it('keeps its data across restarts and does not print credentials again', async () => {
    const child = serve();
    const output = await waitForOutput(child, /osv is listening/, 120_000);
    expect(output).not.toContain('First run');
    const login = await fetch(`http://127.0.0.1:${listeningPort(output)}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'default', email: 'owner@osv.local', password }),
    });
    expect(login.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
  });

  it('refuses to start on a bad setting, naming the variable', async () => {
    const child = serve({ PORT: 'eighty' });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    expect(await exitCode(child)).toBe(1);
    expect(stderr).toContain('PORT');
  });
});
