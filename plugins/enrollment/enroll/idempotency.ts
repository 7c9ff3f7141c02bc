import type { EnrollResult } from '../../../widgets/src/api-types.js';
import { OsvError, type PluginContext, type Transaction } from '../../../core/plugin-api.js';
import { TABLES } from '../rows.js';

export interface RequestKey {
  tenantId: string;
  userId: string;
  key: string;
  courseId: string;
}

/**
 * `Idempotency-Key` on enroll requests: the first request with a key claims it inside its
 * transaction (a concurrent repeat waits on that row), and its outcome is replayed to every repeat.
 */
export class EnrollRequests {
  constructor(private readonly ctx: PluginContext) {}

  /** The stored outcome to replay, or undefined when this request should do the work. */
  async claim(request: RequestKey, tx: Transaction): Promise<EnrollResult | undefined> {
    const scope = this.ctx.db.forTenant(request.tenantId);
    const inserted = await scope.query(
      `INSERT INTO ${TABLES.requests} (tenant_id, user_id, idempotency_key, course_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING course_id`,
      [request.userId, request.key, request.courseId],
      tx,
    );
    if (inserted.length > 0) return undefined;
    const [earlier] = await scope.query<{ course_id: string; response: EnrollResult | null }>(
      `SELECT course_id, response FROM ${TABLES.requests} WHERE tenant_id = $1 AND user_id = $2 AND idempotency_key = $3`,
      [request.userId, request.key],
      tx,
    );
    if (earlier && earlier.course_id !== request.courseId) throw new OsvError('OSV_ERR_IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used to enroll in another course');
    // No stored outcome: the first attempt stopped half-way (its checkout never started); redo it.
    return earlier?.response ?? undefined;
  }

  async complete(request: RequestKey, response: EnrollResult, tx?: Transaction): Promise<void> {
    await this.ctx.db
      .forTenant(request.tenantId)
      .update(TABLES.requests, { user_id: request.userId, idempotency_key: request.key }, { response: JSON.stringify(response) }, tx);
  }

  /** Frees the key after a failure, so the client may retry with it. */
  async forget(request: RequestKey): Promise<void> {
    await this.ctx.db.forTenant(request.tenantId).remove(TABLES.requests, { user_id: request.userId, idempotency_key: request.key, response: null });
  }
}
