import { measureOsvJobsPerSecond } from './queue/osv-queue.js';
import { measureRawBullmqJobsPerSecond } from './queue/raw-bullmq.js';
import type { Cleanup } from './support/cleanup.js';
import { type Comparison, compare } from './support/comparison.js';
import { percentile } from './support/percentile.js';
import { progress } from './support/progress.js';

/** The kernel's worker concurrency on the `default` lane, where the benchmark job runs. */
const DEFAULT_LANE_CONCURRENCY = 32;

export interface QueueThroughputSettings {
  databaseUrl: string;
  redisUrl: string;
  /** Prefix for this run's Redis keys; each side adds its own suffix. */
  prefix: string;
  jobs: number;
  batchSize: number;
  timeoutMs: number;
  rounds: number;
}

export interface QueueThroughput {
  /** Jobs declared `batch: true`, which share a transaction when they are ready together. */
  batched: Comparison;
  /** Jobs that each commit their own transaction (the default). */
  isolated: Comparison;
}

/**
 * No-op jobs through osv's outbox and BullMQ transport against raw BullMQ on the same Redis, in
 * interleaved rounds; each side's median round counts.
 */
export async function measureQueueThroughput(settings: QueueThroughputSettings, cleanup: Cleanup): Promise<QueueThroughput> {
  const common = { redisUrl: settings.redisUrl, jobs: settings.jobs, batchSize: settings.batchSize, timeoutMs: settings.timeoutMs };
  const raw: number[] = [];
  const batched: number[] = [];
  const isolated: number[] = [];
  progress(`queue: ${settings.jobs} no-op jobs per run, ${settings.rounds} rounds, worker concurrency ${DEFAULT_LANE_CONCURRENCY}`);
  for (let round = 1; round <= settings.rounds; round++) {
    raw.push(await measureRawBullmqJobsPerSecond({ ...common, prefix: `${settings.prefix}-raw${round}`, concurrency: DEFAULT_LANE_CONCURRENCY }, cleanup));
    const osv = { ...common, databaseUrl: settings.databaseUrl };
    batched.push(await measureOsvJobsPerSecond({ ...osv, prefix: `${settings.prefix}-qb${round}`, batch: true }, cleanup));
    isolated.push(await measureOsvJobsPerSecond({ ...osv, prefix: `${settings.prefix}-qi${round}`, batch: false }, cleanup));
    progress(
      `queue round ${round}: raw BullMQ ${Math.round(raw.at(-1)!)} jobs/s, osv batch jobs ${Math.round(batched.at(-1)!)}, osv isolated jobs ${Math.round(isolated.at(-1)!)}`,
    );
  }
  const baseline = percentile(raw, 0.5);
  return { batched: compare(percentile(batched, 0.5), baseline, 'jobs/s'), isolated: compare(percentile(isolated, 0.5), baseline, 'jobs/s') };
}
