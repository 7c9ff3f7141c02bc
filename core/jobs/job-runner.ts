import type { Db, Transaction } from '../db/database.js';
import { execute } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../http/metrics.js';
import { BatchCollector } from './batch-collector.js';
import type { JobRegistry } from './job-registry.js';

export type RunOutcome = 'done' | 'skipped' | 'failed' | 'dead';
type RunResult = 'done' | 'skipped';

interface BatchedRun {
  outboxId: string;
  resolve(result: RunResult): void;
  reject(error: unknown): void;
}

interface ClaimedRow {
  id: string;
  name: string;
  tenant_id: string | null;
  payload: unknown;
  attempts: number;
  queue: string;
}

/** One job of a BullMQ envelope: its outbox id, name, and the attempts made before this delivery. */
export interface EnvelopeMember {
  id: string;
  name: string;
  attempts: number;
}

export interface RunnerDeps {
  db: Db;
  /** A pool whose commits do not wait for the WAL flush: a lost commit loses the job's effects and its done mark together, so it re-runs. */
  jobDb: Db;
  registry: JobRegistry;
  isPluginEnabled(tenantId: string, pluginId: string, transaction?: Transaction): Promise<boolean>;
  metrics: Metrics;
  log: Logger;
  /**
   * In-process mode counts an attempt in its own commit before running it (claimAttempt), so a job
   * that brings the whole process down is not re-run forever; BullMQ counts stalls itself.
   */
  countsAttemptsUpfront: boolean;
  /** First retry delay of a failed job; it doubles per attempt, up to 5 minutes. */
  backoffMs: number;
  /** Told when a failed job becomes due again, so the dispatcher can wake up for it. */
  onRetryScheduled?(delayMs: number): void;
}

/**
 * Executes one outbox job exactly once: claiming the row (status → done) and the handler's writes
 * share one transaction, and the row lock makes a concurrent duplicate wait and then skip.
 */
export class JobRunner {
  /** One batch transaction at a time: jobs that arrive meanwhile form the next, bigger batch. */
  private readonly batches = new BatchCollector<BatchedRun>((batch) => this.runBatch(batch), { maxSize: 64, maxParallel: 1 });

  constructor(private readonly deps: RunnerDeps) {}

  /** Counts an attempt durably; undefined when the job is no longer pending. */
  async claimAttempt(outboxId: string): Promise<{ attempt: number; maxAttempts: number } | undefined> {
    const { rows } = await execute<{ attempts: number; max_attempts: number }>(
      this.deps.db,
      `UPDATE outbox SET attempts = attempts + 1 WHERE id = $1 AND status = 'pending' RETURNING attempts, max_attempts`,
      [outboxId],
    );
    return rows[0] && { attempt: rows[0].attempts, maxAttempts: rows[0].max_attempts };
  }

  /**
   * Runs the job once, telling the handler which attempt this is. Jobs defined with `batch: true`
   * that are ready at the same moment share one transaction (see JobDefinition.batch); `name` lets
   * the caller say which job it is before the row is read.
   */
  run(outboxId: string, name?: string): Promise<RunResult> {
    if (name && this.isBatchJob(name)) {
      return new Promise((resolve, reject) => this.batches.add({ outboxId, resolve, reject }));
    }
    return this.runAlone(outboxId);
  }

  /**
   * Runs the jobs one BullMQ envelope carries: batch jobs together, the others one after another
   * (the lane's concurrency counts envelopes). A failed job goes back to the outbox to be retried
   * after its backoff, or dead-lettered; only a failure to record that rejects.
   */
  async runEnvelope(members: EnvelopeMember[]): Promise<void> {
    const attempt = async ({ id, name }: EnvelopeMember) => {
      try {
        await this.run(id, name);
      } catch (error) {
        await this.recordFailure(id, error);
      }
    };
    const isolated = members.filter((member) => !this.isBatchJob(member.name));
    const settled = await Promise.allSettled([
      ...members.filter((member) => this.isBatchJob(member.name)).map(attempt),
      (async () => {
        for (const member of isolated) await attempt(member);
      })(),
    ]);
    const unrecorded = settled.find((result) => result.status === 'rejected');
    if (unrecorded) throw unrecorded.reason;
  }

  private isBatchJob(name: string): boolean {
    return this.deps.registry.get(name)?.batch === true;
  }

  private async runAlone(outboxId: string): Promise<RunResult> {
    const { jobDb } = this.deps;
    const claimed = await jobDb.transaction(async (tx) => {
      const [row] = await this.claim([outboxId], tx);
      if (row) await this.execute(row, tx);
      return row;
    });
    if (!claimed) return 'skipped';
    this.recordDone(claimed);
    return 'done';
  }

  private async runBatch(batch: BatchedRun[]): Promise<void> {
    let claimed: ClaimedRow[];
    try {
      claimed = await this.deps.jobDb.transaction(async (tx) => {
        const rows = await this.claim(batch.map((entry) => entry.outboxId), tx);
        for (const row of rows) await this.execute(row, tx);
        return rows;
      });
    } catch {
      // One of them failed and took the others' work back with it: each runs again on its own,
      // so only the failing job fails (and is retried) while the rest commit.
      await Promise.all(batch.map((entry) => this.runAlone(entry.outboxId).then(entry.resolve, entry.reject)));
      return;
    }
    const done = new Set(claimed.map((row) => row.id));
    for (const row of claimed) this.recordDone(row);
    for (const entry of batch) entry.resolve(done.has(entry.outboxId) ? 'done' : 'skipped');
  }

  /**
   * Marks pending or dispatched rows done in the caller's transaction, counting the attempt (unless
   * claimAttempt already did): `attempts` is then this attempt's number. The update's row locks make
   * a concurrent duplicate wait, then find the row done and skip it. (Only duplicate deliveries
   * make two batches overlap; should they deadlock, the loser's jobs run again alone.)
   */
  private async claim(outboxIds: string[], tx: Transaction): Promise<ClaimedRow[]> {
    const { rows } = await execute<ClaimedRow>(
      this.deps.jobDb,
      `UPDATE outbox SET status = 'done', completed_at = now(), attempts = attempts + $2
       WHERE id = ANY($1::bigint[]) AND status IN ('pending', 'dispatched')
       RETURNING id::text AS id, name, tenant_id, payload, attempts, queue`,
      [outboxIds, this.deps.countsAttemptsUpfront ? 0 : 1],
      tx,
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  private async execute(row: ClaimedRow, tx: Transaction): Promise<void> {
    const definition = this.deps.registry.get(row.name);
    if (!definition) throw new Error(`No handler is registered for job ${row.name}`);
    if (definition.pluginId && row.tenant_id && !(await this.deps.isPluginEnabled(row.tenant_id, definition.pluginId, tx))) {
      throw new Error(`Plugin ${definition.pluginId} is disabled for this tenant`);
    }
    await definition.handler({ id: row.id, name: row.name, tenantId: row.tenant_id, payload: row.payload, attempt: row.attempts }, tx);
  }

  private recordDone(row: ClaimedRow): void {
    this.deps.metrics.jobs.inc({ queue: row.queue, name: row.name, outcome: 'done' });
    this.deps.log.debug({ outboxId: row.id, job: row.name }, 'job done');
  }

  /**
   * Records a failed attempt: the job is due again after its backoff, or, after its last attempt
   * (or when `final`), moves to the dead-letter list. `onlyDispatched` leaves alone a job whose
   * failure was recorded already, for a whole envelope lost at once.
   */
  async recordFailure(outboxId: string, error: unknown, options: { final?: boolean; onlyDispatched?: boolean } = {}): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    const { db, metrics, log } = this.deps;
    const delayMs = await db.transaction(async (tx) => {
      const { rows } = await execute<Omit<ClaimedRow, 'id'> & { status: 'pending' | 'dead'; delay_ms: number }>(
        db,
        `UPDATE outbox SET attempts = attempts + $3, last_error = $2,
           status = CASE WHEN $4 OR attempts + $3 >= max_attempts THEN 'dead' ELSE 'pending' END,
           run_at = now() + make_interval(secs => ${backoffMs('attempts + $3')} / 1000.0)
         WHERE id = $1 AND status = ANY($6::text[])
         RETURNING name, tenant_id, payload, attempts, queue, status, ${backoffMs('attempts')} AS delay_ms`,
        [outboxId, message, this.deps.countsAttemptsUpfront ? 0 : 1, options.final ?? false, this.deps.backoffMs, options.onlyDispatched ? ['dispatched'] : ['pending', 'dispatched']],
        tx,
      );
      const row = rows[0];
      if (!row) return undefined;
      const dead = row.status === 'dead';
      metrics.jobs.inc({ queue: row.queue, name: row.name, outcome: dead ? 'dead' : 'failed' });
      log.warn({ outboxId, job: row.name, attempt: row.attempts, err: message }, dead ? 'job dead-lettered' : 'job failed');
      if (!dead) return row.delay_ms;
      await execute(
        db,
        `INSERT INTO dead_letters (tenant_id, outbox_id, queue, name, payload, error, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (outbox_id) DO UPDATE SET error = EXCLUDED.error, failed_at = now()`,
        [row.tenant_id, outboxId, row.queue, row.name, JSON.stringify(row.payload), message, row.attempts],
        tx,
      );
      return undefined;
    });
    if (delayMs !== undefined) this.deps.onRetryScheduled?.(delayMs);
  }
}

/**
 * The delay before retrying after failed attempt number `attempt` (SQL), doubling from the first
 * delay ($5) up to a ceiling: 1 s, 2 s, 4 s … 5 min.
 */
const backoffMs = (attempt: string) => `least($5::float8 * 2 ^ greatest(${attempt} - 1, 0), 300000)`;

export const DEFAULT_BACKOFF_MS = 1000;
