import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.js';
import { Kernel } from '../../../core/kernel.js';
import { createLogger } from '../../../core/logger.js';
import { coreMigrations } from '../../../migrations/index.js';
import { PROJECT_ROOT } from '../../../core/version.js';
import { RACE_MIGRATIONS, racePlugins } from '../../fixtures/race-plugins.js';
import { createTestDatabase, uniquePrefix } from '../../support/databases.js';

interface Status {
  id: string;
  state: string;
  error: string | null;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh, empty database (no kernel has touched it) and the environment to boot osv on it. */
async function freshDatabase(): Promise<{ url: string; env: Record<string, string> }> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: '3',
    // Shared keys: the processes must not race to create the same secrets file.
    OSV_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    OSV_SIGNING_KEY: randomBytes(32).toString('base64'),
    OSV_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'osv-race-')),
    OSV_QUEUE_PREFIX: uniquePrefix('race'),
    OSV_RUN_WORKERS: 'false',
  };
  return { url: database.url, env };
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Whatever was started, each migration is in the ledger once and its side effect happened once. */
async function expectEachMigrationAppliedOnce(url: string): Promise<void> {
  const ledger = await query<{ name: string; copies: number }>(url, 'SELECT name, count(*)::int AS copies FROM osv_migrations GROUP BY name ORDER BY name');
  expect(ledger).toEqual([...coreMigrations.map((m) => `core/${m.name}`), ...RACE_MIGRATIONS].sort().map((name) => ({ name, copies: 1 })));
  const runs = await query<{ migration: string }>(url, 'SELECT migration FROM race_a_runs ORDER BY seq');
  expect(runs.map((run) => run.migration)).toEqual(RACE_MIGRATIONS);
  const recorded = await query<{ id: string; state: string }>(url, 'SELECT id, state FROM plugins ORDER BY id');
  expect(recorded).toEqual(['race-a', 'race-b', 'race-c'].map((id) => ({ id, state: 'installed' })));
}

const allInstalled = ['race-a', 'race-b', 'race-c'].map((id) => ({ id, state: 'installed', error: null }));

describe('two kernels starting at once on a fresh database', () => {
  it('apply each migration exactly once (two kernels in one process)', async () => {
    const { url, env } = await freshDatabase();
    const config = loadConfig(env);
    const boot = () => Kernel.start({ config, plugins: racePlugins, log: createLogger(config.LOG_LEVEL), runWorkers: false, pollIntervalMs: 100 });
    const started = await Promise.allSettled([boot(), boot()]);
    const kernels = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    cleanups.push(async () => void (await Promise.all(kernels.map((kernel) => kernel.shutdown()))));
    expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);

    for (const kernel of kernels) {
      expect((await kernel.plugins.list()).map(({ id, state, error }) => ({ id, state, error }))).toEqual(allInstalled);
    }
    await expectEachMigrationAppliedOnce(url);
  });

  it('apply each migration exactly once (two separate node processes)', async () => {
    const { url, env } = await freshDatabase();
    const children = [0, 1].map(() =>
      spawn(process.execPath, ['--import', 'tsx', path.join('test', 'fixtures', 'boot-kernel.ts')], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    cleanups.push(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    });
    const outputs = children.map(collectOutput);

    // Both load everything first, then are told to go together.
    await Promise.all(outputs.map((output) => output.ready));
    for (const child of children) child.stdin.end('go\n');
    const results = await Promise.all(outputs.map((output) => output.done));

    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout.split('\n').find((line) => line.startsWith('{'))!) as { statuses: Status[] };
      expect(report.statuses.map(({ id, state, error }) => ({ id, state, error }))).toEqual(allInstalled);
    }
    await expectEachMigrationAppliedOnce(url);
  });
});

function collectOutput(child: ChildProcessByStdio<Writable, Readable, Readable>) {
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before it was ready: ${stderr}`)));
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
  return { ready, done };
}
