import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../core/version.js';

const CLI = path.join(PROJECT_ROOT, 'server/cli/main.ts');
// By file URL: the CLI may run from a directory outside the project (where `tsx` alone would not resolve).
const TSX = pathToFileURL(path.join(PROJECT_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const NODE_ARGS = ['--import', TSX, CLI];

/** Runs `osv <args>` from source as a real process; resolves with its output, rejects on non-zero exit. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [...NODE_ARGS, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    timeout: 180_000,
  });
}

/** Starts `osv <args>` from source; `cwd` is where it runs (relative settings such as OSV_DATA_DIR resolve there). */
export function spawnCli(args: string[], env: Record<string, string>, cwd = PROJECT_ROOT): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with everything written to stdout once `pattern` appears in it. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${output}; stderr: ${errors}`)), timeoutMs);
    child.stderr?.on('data', (chunk) => {
      errors += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; stdout: ${output}; stderr: ${errors}`));
    });
  });
}

export function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
