import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../core/version.js';
import { exitCode, waitForOutput } from '../../support/cli.js';
import { eventually } from '../../support/harness.js';
import { commandOf, descendantsOf, isRunning } from '../../support/processes.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'osv-npm-start-'));
let started: ChildProcess | undefined;
let tree: number[] = [];
const commands = new Map<number, string>();

afterAll(() => {
  // Only processes this test started (a pid may have been reused since).
  for (const pid of tree) if (isRunning(pid) && commandOf(pid) === commands.get(pid)) process.kill(pid, 'SIGKILL');
  if (started?.exitCode === null) started.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('stops node and the embedded PostgreSQL when a process manager sends SIGTERM to npm', async () => {
    started = spawn('npm', ['start'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: '',
        REDIS_URL: '',
        OSV_DATA_DIR: dataDir,
        OSV_EMBEDDED_PG_PORT: String(40_000 + Math.floor(Math.random() * 20_000)),
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForOutput(started, /osv is listening/, 300_000);
    tree = descendantsOf(started.pid!);
    for (const pid of tree) commands.set(pid, commandOf(pid));
    expect(tree.map(commandOf).join('\n')).toMatch(/postgres -D/);

    started.kill('SIGTERM');
    expect(await exitCode(started)).toBe(0);
    await eventually(async () => tree.every((pid) => !isRunning(pid)), 60_000).catch(() => {
      throw new Error(`still running after npm exited:\n${tree.filter(isRunning).map(commandOf).join('\n')}`);
    });
  }, 420_000);
});
