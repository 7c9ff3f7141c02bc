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
    const bind: unknown[] = [];
    const values = jobs.map((job) => {
      const definition = this.deps.registry.get(job.name);
      if (!definition) throw new OsvError('OSV_ERR_INTERNAL', `No job named ${job.name} is defined`);
      bind.push(
        options.tenantId ?? null,
        definition.queue,
        job.name,
        JSON.stringify(job.payload ?? null),
        QUEUE_PRIORITY[definition.queue],
        definition.maxAttempts,
        options.delayMs ?? 0,
      );
      const n = bind.length;
      return `($${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, now() + make_interval(secs => $${n}::int / 1000.0))`;
    });
    const { rows } = await execute<{ id: string }>(
      this.deps.db,
      `INSERT INTO outbox (tenant_id, queue, name, payload, priority, max_attempts, run_at) VALUES ${values.join(', ')} RETURNING id`,
      bind,
      options.transaction,
    );
    if (options.transaction) options.transaction.afterCommit(() => this.deps.nudge());
    else this.deps.nudge();
    return rows.map((row) => String(row.id));
  }
}
