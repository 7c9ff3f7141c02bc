import type { Db } from '../db/database.js';
import { execute, selectRows } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { BullmqTransport, DispatchRow } from './bullmq-transport.js';
import type { JobRunner } from './job-runner.js';

const BATCH = 500;

interface DispatcherOptions {
  db: Db;
  runner: JobRunner;
  /** Absent: no Redis, jobs run in this process straight from the outbox. */
  transport?: BullmqTransport;
  /** Whether this process executes jobs in-process (only without a transport). */
  runInline: boolean;
  pollIntervalMs: number;
  inlineConcurrency: number;
  log: Logger;
}

/**
 * Moves committed outbox rows on: to BullMQ when there is Redis, otherwise straight to the runner.
 * Polling covers rows left behind by a crash (re-sent on start) and rows written by other processes.
 */
export class OutboxDispatcher {
  private running = false;
  private wake: (() => void) | undefined;
  private pendingNudge = false;
  private alarm: { at: number; timer: NodeJS.Timeout } | undefined;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightIds = new Set<string>();

  constructor(private readonly options: DispatcherOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  nudge = (): void => {
    this.pendingNudge = true;
    this.wake?.();
  };

  /** Dispatches again once `delayMs` has passed (when a failed job becomes due), unless polling comes first. */
  wakeIn = (delayMs: number): void => {
    if (!this.running) return;
    const at = Date.now() + delayMs;
    if (this.alarm && this.alarm.at <= at) return;
    clearTimeout(this.alarm?.timer);
    const timer = setTimeout(() => {
      this.alarm = undefined;
      this.nudge();
    }, delayMs);
    timer.unref();
    this.alarm = { at, timer };
  };

  /** Stops taking new rows and waits for in-process jobs to finish. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.alarm?.timer);
    this.alarm = undefined;
    this.wake?.();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pendingNudge = false;
      let moved = 0;
      try {
        const { transport } = this.options;
        // While Redis is away jobs stay pending in the outbox, and are dispatched once it is back.
        if (transport) moved = transport.available ? await this.dispatchBatch(transport) : 0;
        else moved = await this.runInlineBatch();
      } catch (error) {
        this.options.log.error({ err: error }, 'outbox dispatch failed; retrying');
      }
      if (!this.running) break;
      if (moved > 0 || this.pendingNudge) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /**
   * Marks a batch dispatched and hands it to BullMQ in one transaction: if Redis fails, the rows stay
   * pending. In id order, so an envelope carries jobs committed together.
   */
  private async dispatchBatch(transport: BullmqTransport): Promise<number> {
    const { db } = this.options;
    return db.transaction(async (tx) => {
      const { rows } = await execute<DispatchRow>(
        db,
        `WITH dispatched AS (
           UPDATE outbox SET status = 'dispatched', dispatched_at = now()
           WHERE id IN (
             SELECT id FROM outbox WHERE status = 'pending' AND run_at <= now()
             ORDER BY priority DESC, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
           )
           RETURNING id, queue, name, attempts
         )
         SELECT * FROM dispatched ORDER BY id`,
        [],
        tx,
      );
      if (rows.length > 0) await transport.dispatch(rows);
      return rows.length;
    });
  }

  private async runInlineBatch(): Promise<number> {
    if (!this.options.runInline) return 0;
    const free = this.options.inlineConcurrency - this.inFlight.size;
    if (free <= 0) {
      await Promise.race(this.inFlight);
      return 1;
    }
    const rows = await selectRows<{ id: string; attempts: number; max_attempts: number }>(
      this.options.db,
      `SELECT id, attempts, max_attempts FROM outbox
       WHERE status = 'pending' AND run_at <= now() AND NOT (id = ANY($1::bigint[]))
       ORDER BY priority DESC, id LIMIT ${free} FOR UPDATE SKIP LOCKED`,
      [[...this.inFlightIds]],
    );
    for (const row of rows) {
      const id = String(row.id);
      this.inFlightIds.add(id);
      const job = this.runInlineJob(row).finally(() => {
        this.inFlight.delete(job);
        this.inFlightIds.delete(id);
        this.nudge();
      });
      this.inFlight.add(job);
    }
    return rows.length;
  }

  private async runInlineJob(row: { id: string }): Promise<void> {
    const { runner } = this.options;
    const id = String(row.id);
    const claim = await runner.claimAttempt(id);
    if (!claim) return;
    const { attempt, maxAttempts } = claim;
    try {
      if (attempt > maxAttempts) throw new Error('the job stopped its process before finishing on every attempt');
      await runner.run(id);
    } catch (error) {
      await runner.recordFailure(id, error).catch((failure) => this.options.log.error({ err: failure }, 'could not record a job failure'));
    }
  }
}
