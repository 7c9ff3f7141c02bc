import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import type { Cleanup } from '../support/cleanup.js';
import { waitForCount } from '../support/wait.js';
import type { QueueRunSettings } from './settings.js';

/** The options osv's transport gives every job, so both sides make Redis do the same bookkeeping. */
const JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

/** Queue.addBulk in batches → Worker with a no-op processor, timed until the worker completed every job. */
export async function measureRawBullmqJobsPerSecond(settings: QueueRunSettings & { concurrency: number }, cleanup: Cleanup): Promise<number> {
  const connection = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bench', { connection, prefix: settings.prefix });
  const worker = new Worker('bench', async () => {}, {
    connection: connection.duplicate({ maxRetriesPerRequest: null }),
    prefix: settings.prefix,
    concurrency: settings.concurrency,
  });
  const close = cleanup.add('raw bullmq queue and worker', async () => {
    await worker.close();
    await worker.disconnect();
    await queue.close();
    connection.disconnect();
  });
  let completed = 0;
  let failed = 0;
  worker.on('completed', () => completed++);
  worker.on('failed', () => failed++);
  try {
    await worker.waitUntilReady();
    const started = performance.now();
    for (let first = 0; first < settings.jobs; first += settings.batchSize) {
      const size = Math.min(settings.batchSize, settings.jobs - first);
      await queue.addBulk(Array.from({ length: size }, (_, i) => ({ name: 'noop', data: { n: first + i }, opts: JOB_OPTIONS })));
    }
    await waitForCount(async () => completed, settings.jobs, {
      timeoutMs: settings.timeoutMs,
      intervalMs: 5,
      describe: async () => `completed=${completed}, failed=${failed}`,
    });
    return settings.jobs / ((performance.now() - started) / 1000);
  } finally {
    await close();
  }
}
