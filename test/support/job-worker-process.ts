/**
 * A separate worker process for crash tests, run as `node --import tsx test/support/job-worker-process.ts`
 * with DATABASE_URL, REDIS_URL (optional) and OSV_QUEUE_PREFIX of a test platform in its environment.
 *
 * It boots a Kernel with the crash-probe plugin and prints `READY`. Its `crash-probe:work` handler
 * writes its effect row and then never returns, printing `BLOCKED <outbox id>`: the job's
 * transaction stays open until the test SIGKILLs the process.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../../core/config.js';
import { Kernel } from '../../core/kernel.js';
import { defineMigration, definePlugin, type OsvPlugin } from '../../core/plugin-api.js';

/** How long this process's BullMQ job locks last: short, so a killed worker's job is handed back quickly. */
export const CHILD_JOB_LOCK_MS = 1000;

/** The same plugin in the test and in the child; only the child's handler hangs. */
export function crashProbePlugin(options: { hang: boolean }): OsvPlugin {
  return definePlugin({
    manifest: { id: 'crash-probe', name: 'Crash probe', version: '1.0.0', coreRange: '>=0.1.0 <1.0.0' },
    migrations: [
      defineMigration({
        name: '0001-effects',
        async up({ sql }) {
          await sql(`CREATE TABLE crash_probe_effects (
            id bigserial PRIMARY KEY,
            tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
            job_id bigint NOT NULL,
            pid integer NOT NULL
          )`);
        },
      }),
    ],
    register(ctx) {
      ctx.jobs.define('work', async (job, tx) => {
        await ctx.db.forTenant(job.tenantId!).insert(ctx.db.table('effects'), { job_id: job.id, pid: process.pid }, tx);
        if (!options.hang) return;
        process.stdout.write(`BLOCKED ${job.id}\n`);
        await new Promise<never>(() => undefined);
      });
    },
  });
}

export interface WorkerProcess {
  pid: number;
  /** Resolves with the first stdout line matching, or rejects if the process exits first or the time is up. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts the worker process on a test platform's environment and waits for `READY`. `script` may
 * name another entry point that boots its own plugins and prints `READY` the same way.
 */
export async function startWorkerProcess(env: Record<string, string>, script = fileURLToPath(import.meta.url)): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const listener of listeners) listener();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    for (const listener of listeners) listener();
  });

  const waitFor = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`worker process printed no ${pattern} in ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      const check = () => {
        for (const line of lines) {
          const match = line.match(pattern);
          if (match) return finish(undefined, match);
        }
        if (hasExited) finish(new Error(`worker process exited (${child.exitCode ?? child.signalCode}) before ${pattern}; stderr: ${stderr}`));
      };
      const finish = (error?: Error, match?: RegExpMatchArray) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve(match!);
      };
      listeners.add(check);
      check();
    });

  const kill = async () => {
    if (!hasExited) child.kill('SIGKILL');
    await exited;
  };
  try {
    await waitFor(/^READY$/);
  } catch (error) {
    await kill();
    throw error;
  }
  return { pid: child.pid!, waitFor, kill };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  await Kernel.start({
    config,
    plugins: [crashProbePlugin({ hang: true })],
    runWorkers: true,
    jobLockMs: CHILD_JOB_LOCK_MS,
    pollIntervalMs: 100,
  });
  process.stdout.write('READY\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
