import type { Db, Transaction } from '../../core/db/database.js';
import { TenantScope } from '../../core/db/tenant-scope.js';

export type LogKind = 'launch' | 'deep_link' | 'deep_link_response' | 'ags_score' | 'nrps_sync' | 'registration';

export interface LogEntry {
  kind: LogKind;
  outcome: 'success' | 'failure';
  /** The OSV_ERR_* code of a failure. */
  code?: string;
  /** What happened, in words an admin can act on. */
  reason?: string;
  registrationId?: string;
  deploymentId?: string;
  messageType?: string;
  lmsUser?: string;
  userId?: string;
  contextRef?: string;
  detail?: Record<string, unknown>;
}

export interface LogRow {
  id: string;
  tenant_id: string;
  kind: LogKind;
  outcome: 'success' | 'failure';
  code: string | null;
  reason: string | null;
  registration_id: string | null;
  deployment_id: string | null;
  message_type: string | null;
  lms_user: string | null;
  user_id: string | null;
  context_ref: string | null;
  detail: Record<string, unknown>;
  created_at: string;
}

export interface LogFilter {
  kind?: LogKind;
  outcome?: 'success' | 'failure';
  limit: number;
  before?: string;
}

/** Every launch and service call, success or failure with its precise reason, per tenant. */
export class LaunchLog {
  constructor(private readonly db: Db) {}

  async record(tenantId: string, entry: LogEntry, transaction?: Transaction): Promise<void> {
    await new TenantScope(this.db, tenantId).insert(
      'lti_launch_log',
      {
        kind: entry.kind,
        outcome: entry.outcome,
        code: entry.code ?? null,
        reason: entry.reason === undefined ? null : withoutNul(entry.reason).slice(0, 2000),
        registration_id: entry.registrationId ?? null,
        deployment_id: entry.deploymentId ?? null,
        message_type: entry.messageType ?? null,
        lms_user: entry.lmsUser === undefined ? null : withoutNul(entry.lmsUser).slice(0, 255),
        user_id: entry.userId ?? null,
        context_ref: entry.contextRef ?? null,
        // PostgreSQL text and jsonb cannot hold NUL, which refused requests may well carry.
        detail: JSON.stringify(entry.detail ?? {}, (_key, value: unknown) => (typeof value === 'string' ? withoutNul(value) : value)),
      },
      transaction,
    );
  }

  list(tenantId: string, filter: LogFilter): Promise<LogRow[]> {
    const bind: unknown[] = [];
    const conditions = ['tenant_id = $1'];
    const add = (sql: string, value: unknown) => {
      bind.push(value);
      conditions.push(`${sql} $${bind.length + 1}`);
    };
    if (filter.kind) add('kind =', filter.kind);
    if (filter.outcome) add('outcome =', filter.outcome);
    if (filter.before) add('id <', filter.before);
    bind.push(filter.limit);
    return new TenantScope(this.db, tenantId).query<LogRow>(
      `SELECT * FROM lti_launch_log WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT $${bind.length + 1}`,
      bind,
    );
  }

  /** When each registration last launched successfully (registration id → ISO time). */
  async lastSuccessfulLaunches(tenantId: string): Promise<Map<string, string>> {
    const rows = await new TenantScope(this.db, tenantId).query<{ registration_id: string; at: Date }>(
      `SELECT registration_id, max(created_at) AS at FROM lti_launch_log
       WHERE tenant_id = $1 AND outcome = 'success' AND kind IN ('launch', 'deep_link') AND registration_id IS NOT NULL
       GROUP BY registration_id`,
    );
    return new Map(rows.map((row) => [row.registration_id, new Date(row.at).toISOString()]));
  }
}

function withoutNul(value: string): string {
  return value.replaceAll('\u0000', '');
}
