import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig } from '../../core/config.js';
import { Kernel } from '../../core/kernel.js';
import { createLogger } from '../../core/logger.js';
import { firstPartyPlugins } from '../../plugins/index.js';
import type { Cleanup } from '../support/cleanup.js';
import { osvBenchEnvironment } from '../support/osv-environment.js';
import { waitForCount } from '../support/wait.js';
import type { QueueRunSettings } from './settings.js';

/**
 * enqueueMany in committed batches → outbox dispatcher → BullMQ workers → JobRunner, timed until
 * every job has committed. `batch` declares the no-op a batch job (JobDefinition.batch).
 */
export async function measureOsvJobsPerSecond(
  settings: QueueRunSettings & { databaseUrl: string; batch: boolean },
  cleanup: Cleanup,
): Promise<number> {
  const jobName = settings.batch ? 'bench:noop-batched' : 'bench:noop';
  const kernel = await startKernel(settings);
  const stopKernel = cleanup.add('osv kernel', () => kernel.shutdown());
  const outbox = new pg.Client({ connectionString: settings.databaseUrl });
  const closeOutbox = cleanup.add('outbox client', () => outbox.end());
  await outbox.connect();
  try {
    kernel.jobRegistry.define({ name: jobName, handler: async () => {}, batch: settings.batch });
    const started = performance.now();
    for (let first = 0; first < settings.jobs; first += settings.batchSize) {
      const size = Math.min(settings.batchSize, settings.jobs - first);
      const batch = Array.from({ length: size }, (_, i) => ({ name: jobName, payload: { n: first + i } }));
      await kernel.db.transaction((transaction) => kernel.jobs.enqueueMany(batch, { transaction }));
    }
    // The runner counts a job in osv_jobs_total once its transaction has committed.
    await waitForCount(() => committedJobs(kernel, jobName), settings.jobs, {
      timeoutMs: settings.timeoutMs,
      intervalMs: 5,
      describe: () => describeOutbox(outbox, jobName),
    });
    return settings.jobs / ((performance.now() - started) / 1000);
  } finally {
    await closeOutbox();
    await stopKernel();
  }
}

function startKernel(settings: QueueRunSettings & { databaseUrl: string }): Promise<Kernel> {
  const config = loadConfig(osvBenchEnvironment({ ...settings, queuePrefix: settings.prefix }));
  return Kernel.start({ config, plugins: firstPartyPlugins, log: createLogger(config.LOG_LEVEL, process.stderr) });
}

async function committedJobs(kernel: Kernel, jobName: string): Promise<number> {
  const { values } = await kernel.metrics.jobs.get();
  return values.find((value) => value.labels.name === jobName && value.labels.outcome === 'done')?.value ?? 0;
}

async function describeOutbox(outbox: pg.Client, jobName: string): Promise<string> {
  const { rows } = await outbox.query<{ status: string; count: number }>(
    'SELECT status, count(*)::int AS count FROM outbox WHERE name = $1 GROUP BY status',
    [jobName],
  );
  return rows.map((row) => `${row.status}=${row.count}`).join(', ') || 'no rows';
}
