import { createHash } from 'node:crypto';
import { type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../logger.js';
import { isConnectionFailure, type RedisConnections } from '../redis/redis-connections.js';
import type { EnvelopeMember, JobRunner } from './job-runner.js';
import { QUEUES, type QueueName } from './job-types.js';

export interface DispatchRow {
  id: string;
  queue: QueueName;
  name: string;
  /** Attempts already made: a job that failed before travels alone. */
  attempts: number;
}

interface TransportOptions {
  connections: RedisConnections;
  prefix: string;
  /** How long a worker's lock on a job lasts; a crashed worker's job is handed back after it. */
  lockDurationMs: number;
  /** First retry delay of an envelope whose failures could not be recorded; BullMQ doubles it per attempt. */
  backoffMs: number;
  /** Envelopes each lane's worker runs at once. */
  concurrency: Record<QueueName, number>;
  log: Logger;
}

type Envelope = { jobs: EnvelopeMember[] };

/** The most jobs one envelope carries: a batch transaction's worth. */
const ENVELOPE_MAX = 64;

/** An envelope fails only when the outbox could not record its jobs' failures (the database is away). */
const ENVELOPE_ATTEMPTS = 5;

/**
 * BullMQ on Redis carries outbox rows in envelopes: one BullMQ job holds the ids of up to 64 outbox
 * jobs of a lane, so Redis does its per-job bookkeeping once per envelope. A backlog is split so
 * every worker slot of the lane gets an envelope; a job that is alone, or failed before, travels
 * alone under the job id `ob-<outbox id>`. Retries and dead letters are the outbox's (JobRunner).
 */
export class BullmqTransport {
  private readonly queues: Map<QueueName, Queue>;
  private readonly workers: Worker[] = [];

  constructor(private readonly options: TransportOptions) {
    this.queues = new Map(
      QUEUES.map((name) => [name, new Queue(name, { connection: options.connections.queue, prefix: options.prefix })]),
    );
    for (const [name, queue] of this.queues) queue.on('error', (error) => this.reportError(error, name));
  }

  /** Whether jobs can be handed to Redis now; while not, they wait in the outbox. */
  get available(): boolean {
    return this.options.connections.available;
  }

  /** A Redis outage is reported once by the connections; anything else is logged in one line. */
  private reportError(error: Error, queue: QueueName): void {
    if (!this.available || isConnectionFailure(error)) return;
    this.options.log.error({ err: error.message, queue }, 'queue error');
  }

  /** Envelope ids derive from their outbox ids, so re-sending the same rows after a crash adds nothing twice. */
  async dispatch(rows: DispatchRow[]): Promise<void> {
    await Promise.all(
      QUEUES.map((queueName) => {
        const envelopes = this.envelopes(rows.filter((row) => row.queue === queueName), this.options.concurrency[queueName]);
        if (envelopes.length === 0) return undefined;
        return this.queue(queueName).addBulk(
          envelopes.map((members) => ({
            name: members.length === 1 ? members[0]!.name : 'envelope',
            data: { jobs: members } satisfies Envelope,
            opts: {
              jobId: envelopeId(members),
              attempts: ENVELOPE_ATTEMPTS,
              backoff: { type: 'exponential', delay: this.options.backoffMs },
              removeOnComplete: { count: 1000 },
              removeOnFail: { count: 5000 },
            },
          })),
        );
      }),
    );
  }

  private envelopes(rows: DispatchRow[], slots: number): EnvelopeMember[][] {
    const member = (row: DispatchRow): EnvelopeMember => ({ id: String(row.id), name: row.name, attempts: row.attempts });
    const fresh = rows.filter((row) => row.attempts === 0);
    const size = Math.min(ENVELOPE_MAX, Math.max(1, Math.ceil(fresh.length / slots)));
    const envelopes = rows.filter((row) => row.attempts > 0).map((row) => [member(row)]);
    for (let first = 0; first < fresh.length; first += size) envelopes.push(fresh.slice(first, first + size).map(member));
    return envelopes;
  }

  startWorkers(runner: JobRunner): void {
    for (const queueName of QUEUES) {
      const worker = new Worker(queueName, async (job: Job<Envelope>) => runner.runEnvelope(job.data.jobs), {
        connection: this.options.connections.workerConnection(),
        prefix: this.options.prefix,
        concurrency: this.options.concurrency[queueName],
        lockDuration: this.options.lockDurationMs,
        stalledInterval: this.options.lockDurationMs,
      });
      worker.on('failed', (job, error) => {
        if (!job) return;
        // BullMQ gives up on an envelope that stalled twice (its worker died mid-job each time) with
        // an UnrecoverableError. A lone job is then dead-lettered; envelope mates go back to the
        // outbox, where the culprit will travel alone.
        const stalled = error.name === 'UnrecoverableError';
        if (!stalled && job.attemptsMade < (job.opts.attempts ?? 1)) return;
        const members = job.data.jobs;
        for (const { id } of members) {
          runner
            .recordFailure(id, error, { final: stalled && members.length === 1, onlyDispatched: true })
            .catch((failure) => this.options.log.error({ err: failure }, 'could not record a job failure'));
        }
      });
      worker.on('error', (error) => this.reportError(error, queueName));
      this.workers.push(worker);
    }
  }

  /**
   * Finishes running jobs (up to the caller's deadline); unfinished ones are handed back by lock
   * expiry.
   */
  async closeWorkers(force = false): Promise<void> {
    const workers = this.workers.splice(0);
    await this.unlessRedisIsAway(async () => {
      await Promise.all(workers.map((worker) => worker.close(force)));
      await Promise.all(workers.map((worker) => worker.disconnect()));
    });
  }

  async close(): Promise<void> {
    await this.closeWorkers();
    await this.unlessRedisIsAway(() => Promise.all([...this.queues.values()].map((queue) => queue.close())));
  }

  /**
   * Closing talks to Redis, and while it is away BullMQ would wait for it forever: the closing is
   * then left running (its connections are dropped by the caller) and not waited for. Jobs still
   * running finish in the database, whose pool closes last; their envelopes' locks expire.
   */
  private async unlessRedisIsAway(closing: () => Promise<unknown>): Promise<void> {
    if (this.available) {
      await closing();
      return;
    }
    closing().catch(() => undefined);
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  async ping(): Promise<void> {
    if (!this.available) throw new Error('redis unavailable');
    await this.queue('default').getJobCounts('waiting');
  }
}

/** A retry is a new delivery, so its id names the attempts made before it. */
function envelopeId(members: EnvelopeMember[]): string {
  const [first] = members as [EnvelopeMember];
  if (members.length === 1) return first.attempts === 0 ? `ob-${first.id}` : `ob-${first.id}-retry${first.attempts}`;
  const digest = createHash('sha256').update(members.map((member) => member.id).join(',')).digest('base64url').slice(0, 16);
  return `ob-${first.id}-${digest}`;
}
