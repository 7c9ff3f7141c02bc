import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScratchDatabase } from '../../../bench/support/database.js';
import { exitCode, spawnCli, waitForOutput } from '../../support/cli.js';
import { createTestDatabase, uniquePrefix } from '../../support/databases.js';
import { eventually } from '../../support/harness.js';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';

/**
 * `osv serve` (HTTP and BullMQ workers in one process) on a Redis of the test's own that goes
 * away and comes back. Every request has a deadline far above what a healthy answer takes: a
 * request that hangs fails the test rather than timing it out.
 */
const REQUEST_DEADLINE_MS = 15_000;

let redis: PrivateRedis;
let database: ScratchDatabase;
let child: ChildProcess;
let baseUrl: string;
let password: string;
let output = '';
let admin: string;
const dataDir = mkdtempSync(path.join(tmpdir(), 'osv-redis-outage-'));

beforeAll(async () => {
  redis = await startPrivateRedis();
  database = await createTestDatabase();
  child = spawnCli(['serve'], {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    OSV_QUEUE_PREFIX: uniquePrefix('outage'),
    OSV_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
    OSV_SHUTDOWN_TIMEOUT_MS: '5000',
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const started = await waitForOutput(child, /osv is listening/, 120_000);
  password = /password: (\S+)/.exec(started)![1]!;
  baseUrl = `http://127.0.0.1:${/"port":(\d+),"msg":"osv is listening"/.exec(started)![1]}`;
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await exitCode(child);
  }
  await redis?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function call(pathname: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${baseUrl}${pathname}`, { ...init, signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) });
}

async function signIn(): Promise<string> {
  const response = await call('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'default', email: 'owner@osv.local', password }),
  });
  expect(response.status).toBe(200);
  return `Bearer ${((await response.json()) as { token: string }).token}`;
}

async function readiness(): Promise<{ status: number; checks: Record<string, string> }> {
  const response = await call('/ready');
  return { status: response.status, checks: ((await response.json()) as { checks: Record<string, string> }).checks };
}

const linesMatching = (pattern: RegExp) => output.split('\n').filter((line) => pattern.test(line));

describe('Redis going away and coming back', () => {
  it('keeps answering while Redis is down: sign-in, the API and cached plugin routes degrade instead of hanging', async () => {
    admin = await signIn();
    for (const plugin of ['enrollment', 'example']) {
      expect((await call(`/api/v1/admin/plugins/${plugin}/enable`, { method: 'POST', headers: { authorization: admin } })).status).toBe(204);
    }
    expect((await readiness()).status).toBe(200);

    await redis.stop();
    const down = await eventually(async () => {
      const ready = await readiness();
      return ready.status === 503 && ready;
    }, 60_000);

    // Rate limits count in this process, the catalog skips its cache.
    const again = await signIn();
    expect((await call('/api/v1/admin/plugins', { headers: { authorization: again } })).status).toBe(200);
    const catalog = await call('/api/v1/plugins/enrollment/courses', { headers: { authorization: again } });
    expect(catalog.status).toBe(200);
    expect(await catalog.json()).toMatchObject({ items: [] });
    // A write whose job (counting the note's words) waits in the outbox for Redis.
    const note = await call('/api/v1/plugins/example/notes', {
      method: 'POST',
      headers: { authorization: again, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'During the outage', body: 'three little words' }),
    });
    expect(note.status).toBe(201);

    expect(down.checks).toMatchObject({ database: 'ok', redis: expect.stringMatching(/^failing: unreachable/), queue: expect.stringMatching(/^failing/) });

    expect(linesMatching(/redis unavailable/)).toHaveLength(1);
    expect(linesMatching(/^\s+at /)).toEqual([]);
  });

  it('recovers by itself when Redis is back on the same port', async () => {
    await redis.start();
    const ready = await eventually(async () => {
      const answer = await readiness();
      return answer.status === 200 && answer;
    }, 60_000);
    expect(ready.checks).toMatchObject({ database: 'ok', redis: 'ok', queue: 'ok' });
    expect(linesMatching(/redis available again/)).toHaveLength(1);
    expect((await call('/api/v1/admin/plugins', { headers: { authorization: await signIn() } })).status).toBe(200);
    // The job written during the outage is dispatched and runs.
    await eventually(async () => {
      const notes = (await (await call('/api/v1/plugins/example/notes', { headers: { authorization: admin } })).json()) as { word_count: number | null }[];
      return notes[0]?.word_count === 3;
    }, 60_000);
  });

  it('stops cleanly on SIGTERM while Redis is down', async () => {
    await redis.stop();
    await eventually(async () => (await readiness()).status === 503, 60_000);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
    expect(linesMatching(/redis unavailable/)).toHaveLength(2);
    expect(linesMatching(/redis|queue/i).filter((line) => !/redis (unavailable|available again)/.test(line))).toEqual([]);
    expect(linesMatching(/^\s+at /)).toEqual([]);
  }, 60_000);
});
