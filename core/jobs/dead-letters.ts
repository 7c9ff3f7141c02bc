import type { Db } from '../db/database.js';
import { TenantScope } from '../db/tenant-scope.js';
import { OsvError } from '../errors.js';
import type { JobQueue } from './outbox.js';

export interface DeadLetter {
  id: string;
  outbox_id: string;
  queue: string;
  name: string;
  payload: unknown;
  error: string;
  attempts: number;
  failed_at: string;
  retried_at: string | null;
}

/** Jobs that used up their attempts, per tenant; a retry enqueues a fresh copy once. */
export class DeadLetterService {
  constructor(private readonly deps: { db: Db; jobs: JobQueue }) {}

  list(tenantId: string, limit = 100): Promise<DeadLetter[]> {
    return new TenantScope(this.deps.db, tenantId).select<DeadLetter>('dead_letters', {}, { orderBy: 'id', descending: true, limit });
  }

  async retry(tenantId: string, id: string): Promise<{ outboxId: string }> {
    const scope = new TenantScope(this.deps.db, tenantId);
    return this.deps.db.transaction(async (transaction) => {
      const [letter] = await scope.query<DeadLetter>(
        'SELECT * FROM dead_letters WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
        [id],
        transaction,
      );
      if (!letter) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such dead letter in this tenant');
      if (letter.retried_at) throw new OsvError('OSV_ERR_CONFLICT', 'This job was already retried');
      const outboxId = await this.deps.jobs.enqueue(letter.name, letter.payload, { tenantId, transaction });
      await scope.update('dead_letters', { id }, { retried_at: new Date() }, transaction);
      return { outboxId };
    });
  }
}
