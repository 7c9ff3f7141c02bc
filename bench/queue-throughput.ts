import { measureOsvJobsPerSecond } from './queue/osv-queue.js';
import { measureRawBullmqJobsPerSecond } from './queue/raw-bullmq.js';
import type { Cleanup } from './support/cleanup.js';
import { type Comparison, compare } from './support/comparison.js';
import { progress } from './support/progress.js';

/** The kernel's worker concurrency on the `default` lane, where the benchmark job runs. */
const DEFAULT_LANE_CONCURRENCY = 16;

export interface QueueThroughputSettings {
  databaseUrl: string;
  redisUrl: string;
  /** Prefix for this run's Redis keys; each side adds its own suffix. */
  prefix: string;
  jobs: number;
  batchSize: number;
  timeoutMs: number;
}

/** No-op jobs through osv's outbox and BullMQ transport against raw BullMQ on the same Redis. */
export async function measureQueueThroughput(settings: QueueThroughputSettings, cleanup: Cleanup): Promise<Comparison> {
  const common = { redisUrl: settings.redisUrl, jobs: settings.jobs, batchSize: settings.batchSize, timeoutMs: settings.timeoutMs };

  progress(`queue: raw BullMQ, ${settings.jobs} jobs, concurrency ${DEFAULT_LANE_CONCURRENCY}`);
  const baseline = await measureRawBullmqJobsPerSecond(
    { ...common, prefix: `${settings.prefix}-raw`, concurrency: DEFAULT_LANE_CONCURRENCY },
    cleanup,
  );
  progress(`queue: raw BullMQ ${Math.round(baseline)} jobs/s`);

  progress(`queue: osv outbox → BullMQ → JobRunner, ${settings.jobs} jobs in batches of ${settings.batchSize}`);
  const value = await measureOsvJobsPerSecond({ ...common, prefix: `${settings.prefix}-q`, databaseUrl: settings.databaseUrl }, cleanup);
  progress(`queue: osv ${Math.round(value)} jobs/s`);
  return compare(value, baseline, 'jobs/s');
}
