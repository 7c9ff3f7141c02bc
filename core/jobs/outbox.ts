import type { Db } from '../db/database.js';
import { execute } from '../db/database.js';
import { OsvError } from '../errors.js';
import type { JobRegistry } from './job-registry.js';
import { type EnqueueOptions, QUEUE_PRIORITY } from './job-types.js';

export interface OutboxJob {
  name: string;
  payload: unknown;
}

/**
 * Enqueueing writes an outbox row, in the caller's transaction when given: the business write and
 * the job it causes commit together or not at all. The dispatcher is nudged once the row is visible.
 */
export class JobQueue {
  constructor(
    private readonly deps: { db: Db; registry: JobRegistry; nudge: () => void },
  ) {}

  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
    const [id] = await this.enqueueMany([{ name, payload }], options);
    return id!;
  }

  async enqueueMany(jobs: OutboxJob[], options: EnqueueOptions = {}): Promise<string[]> {
    if (jobs.length === 0) return [];
    const definitions = jobs.map((job) => {
      const definition = this.deps.registry.get(job.name);
      if (!definition) throw new OsvError('OSV_ERR_INTERNAL', `No job named ${job.name} is defined`);
      return definition;
    });
    // One array parameter per column (unnest) rather than seven parameters per row: a 500-job batch
    // binds 7 values instead of 3,500.
    const { rows } = await execute<{ id: string }>(
      this.deps.db,
      `INSERT INTO outbox (tenant_id, queue, name, payload, priority, max_attempts, run_at)
       SELECT $1::uuid, job.queue, job.name, job.payload::jsonb, job.priority, job.max_attempts,
              now() + make_interval(secs => $2::int / 1000.0)
       FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::int[])
            WITH ORDINALITY AS job(queue, name, payload, priority, max_attempts, position)
       ORDER BY job.position
       RETURNING id`,
      [
        options.tenantId ?? null,
        options.delayMs ?? 0,
        definitions.map((definition) => definition.queue),
        jobs.map((job) => job.name),
        jobs.map((job) => JSON.stringify(job.payload ?? null)),
        definitions.map((definition) => QUEUE_PRIORITY[definition.queue]),
        definitions.map((definition) => definition.maxAttempts),
      ],
      options.transaction,
    );
    if (options.transaction) options.transaction.afterCommit(() => this.deps.nudge());
    else this.deps.nudge();
    return rows.map((row) => String(row.id));
  }
}
