import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { JobRunner } from './job-runner.js';
import { QUEUES, type QueueName } from './job-types.js';

export interface DispatchRow {
  id: string;
  queue: QueueName;
  name: string;
  priority: number;
  max_attempts: number;
}

interface TransportOptions {
  connection: Redis;
  prefix: string;
  /** How long a worker's lock on a job lasts; a crashed worker's job is handed back after it. */
  lockDurationMs: number;
  /** First retry delay; BullMQ doubles it per attempt. */
  backoffMs: number;
  concurrency: Record<QueueName, number>;
  log: Logger;
}

/** BullMQ on Redis: the outbox hands rows over; jobs carry only the outbox id. */
export class BullmqTransport {
  private readonly queues: Map<QueueName, Queue>;
  private readonly workers: Worker[] = [];

  constructor(private readonly options: TransportOptions) {
    this.queues = new Map(
      QUEUES.map((name) => [name, new Queue(name, { connection: options.connection, prefix: options.prefix })]),
    );
  }

  /** Job ids derive from outbox ids, so re-sending a row after a crash adds nothing twice. */
  async dispatch(rows: DispatchRow[]): Promise<void> {
    const byQueue = new Map<QueueName, DispatchRow[]>();
    for (const row of rows) {
      const queueRows = byQueue.get(row.queue);
      if (queueRows) queueRows.push(row);
      else byQueue.set(row.queue, [row]);
    }
    await Promise.all(
      [...byQueue].map(([queueName, queueRows]) =>
        this.queue(queueName).addBulk(
          queueRows.map((row) => ({
            name: row.name,
            data: { outboxId: String(row.id) },
            opts: {
              jobId: `ob-${row.id}`,
              attempts: row.max_attempts,
              backoff: { type: 'exponential', delay: this.options.backoffMs },
              removeOnComplete: { count: 1000 },
              removeOnFail: { count: 5000 },
            },
          })),
        ),
      ),
    );
  }

  startWorkers(runner: JobRunner): void {
    for (const queueName of QUEUES) {
      const worker = new Worker(
        queueName,
        async (job: Job<{ outboxId: string }>) => runner.run(job.data.outboxId, job.attemptsMade + 1, job.name),
        {
          connection: this.options.connection.duplicate({ maxRetriesPerRequest: null }),
          prefix: this.options.prefix,
          concurrency: this.options.concurrency[queueName],
          lockDuration: this.options.lockDurationMs,
          stalledInterval: this.options.lockDurationMs,
        },
      );
      worker.on('failed', (job, error) => {
        if (!job) return;
        // BullMQ never retries an UnrecoverableError, which is also how it fails a job that stalled
        // too often (its worker died mid-job twice): that was the last attempt too, so dead-letter it.
        const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
        runner.recordFailure(job.data.outboxId, error, { final }).catch((failure) =>
          this.options.log.error({ err: failure }, 'could not record a job failure'),
        );
      });
      worker.on('error', (error) => this.options.log.error({ err: error, queue: queueName }, 'queue worker error'));
      this.workers.push(worker);
    }
  }

  /** Finishes running jobs (up to the caller's deadline); unfinished ones are handed back by lock expiry. */
  async closeWorkers(force = false): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close(force)));
    await Promise.all(this.workers.map((worker) => worker.disconnect()));
    this.workers.length = 0;
  }

  async close(): Promise<void> {
    await this.closeWorkers();
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  async ping(): Promise<void> {
    await this.queue('default').getJobCounts('waiting');
  }
}
