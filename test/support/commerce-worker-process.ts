/**
 * A worker process running the commerce plugins (enrollment, payments, email), for crash tests:
 * `startWorkerProcess(env, COMMERCE_WORKER_SCRIPT)` with a test platform's environment (its
 * SENDGRID_API_BASE included). It prints `READY` once its workers run.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../../core/config.js';
import { Kernel } from '../../core/kernel.js';
import { commercePlugins } from './commerce.js';
import { CHILD_JOB_LOCK_MS } from './job-worker-process.js';

export const COMMERCE_WORKER_SCRIPT = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  await Kernel.start({ config, plugins: commercePlugins(), runWorkers: true, jobLockMs: CHILD_JOB_LOCK_MS, pollIntervalMs: 100 });
  process.stdout.write('READY\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
