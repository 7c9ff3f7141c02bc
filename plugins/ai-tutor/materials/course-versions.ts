import type { TenantScope, Transaction } from '../../../core/plugin-api.js';
import { TABLES } from '../tables.js';

/**
 * Each tutor course has a content version that changes whenever what students can read changes
 * (a material indexed, replaced or deleted). Search indexes and cached answers are keyed by it.
 */
export async function bumpContentVersion(scope: TenantScope, courseId: string, tx: Transaction): Promise<void> {
  await scope.query(
    `INSERT INTO ${TABLES.courses} (tenant_id, course_id, content_version) VALUES ($1, $2, 1)
     ON CONFLICT (tenant_id, course_id) DO UPDATE SET content_version = ${TABLES.courses}.content_version + 1, updated_at = now()`,
    [courseId],
    tx,
  );
}

export async function contentVersion(scope: TenantScope, courseId: string): Promise<number> {
  const [row] = await scope.query<{ content_version: string }>(
    `SELECT content_version FROM ${TABLES.courses} WHERE tenant_id = $1 AND course_id = $2`,
    [courseId],
  );
  return row ? Number(row.content_version) : 0;
}
