import type { Transaction } from '../db/database.js';

/** Three lanes: emails never wait behind bulk work. */
export const QUEUES = ['emails', 'default', 'low'] as const;
export type QueueName = (typeof QUEUES)[number];

export const QUEUE_PRIORITY: Record<QueueName, number> = { emails: 10, default: 5, low: 0 };

export interface JobRecord {
  /** The outbox row id: stable across redeliveries, the key for idempotent handlers. */
  id: string;
  name: string;
  tenantId: string | null;
  payload: unknown;
  attempt: number;
}

/**
 * Runs inside a transaction that also marks the job done: database effects of a job commit
 * exactly once. Effects outside the database must be keyed by `job.id`.
 */
export type JobHandler = (job: JobRecord, tx: Transaction) => Promise<void>;

export interface JobDefinition {
  /** `<plugin id>:<job>` (or `core:<job>`). */
  name: string;
  queue: QueueName;
  maxAttempts: number;
  /** Owning plugin; its jobs stop for tenants that disabled it. */
  pluginId?: string;
  /**
   * For quick jobs whose every effect is in the database (no calls out): batch jobs that are ready
   * at the same moment run one after another in one transaction, which saves a commit per job.
   * If one fails, the transaction rolls back and each runs again on its own.
   */
  batch?: boolean;
  handler: JobHandler;
}

export interface EnqueueOptions {
  tenantId?: string | null;
  transaction?: Transaction;
  delayMs?: number;
}
