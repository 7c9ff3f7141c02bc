import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';

/** What a server entry point sends to its parent once it listens. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
  /** Extra request headers a load generator needs (e.g. Authorization). */
  headers: Record<string, string>;
}

export interface ChildServer {
  url: string;
  headers: Record<string, string>;
  /** Lines the child wrote to stdout so far. */
  output: string[];
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** Set to a directory to get a V8 CPU profile of every server process. */
const PROFILE_DIR = process.env.BENCH_CPU_PROF_DIR;

/** Runs a server script in its own node process so load generation never shares its event loop. */
export async function startChildServer(script: URL, env: Record<string, string>): Promise<ChildServer> {
  const child = fork(script, [], {
    env: { ...process.env, ...env },
    execArgv: PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const output: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => output.push(line));
  const stop = async () => {
    process.off('exit', killOnExit);
    await terminate(child);
  };
  try {
    const ready = await waitForReady(child);
    return { url: `http://127.0.0.1:${ready.port}`, headers: ready.headers, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForReady(child: ChildProcess): Promise<ReadyMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in time')), START_TIMEOUT_MS);
    child.once('message', (message: ReadyMessage) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
