import type { Db, Transaction } from '../../core/db/database.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import type { JobQueue } from '../../core/jobs/outbox.js';
import { ensureScheduled } from '../../core/jobs/recurring-job.js';
import type { TenantService } from '../../core/tenancy/tenants.js';
import type { LaunchHandoffs } from '../launch/launch-handoffs.js';
import type { LoginStateStore } from '../launch/login-states.js';
import { ROSTER_SYNC_JOB } from './roster-sync-job.js';

export const MAINTENANCE_JOB = 'lti:maintenance';
const LOG_RETENTION_DAYS = 90;

/**
 * Hourly housekeeping, re-enqueued by each run: roster syncs that are due (the nightly NRPS sync),
 * expired logins and deep-link requests, launch log entries past retention.
 */
export class MaintenanceJob {
  constructor(
    private readonly deps: { db: Db; jobs: JobQueue; tenants: TenantService; loginStates: LoginStateStore; handoffs: LaunchHandoffs; rosterSyncIntervalMs: number; intervalMs: number },
  ) {}

  handle = async (_job: unknown, tx: Transaction): Promise<void> => {
    await this.deps.loginStates.purgeExpired(tx);
    await this.deps.handoffs.purgeExpired(tx);
    for (const tenant of await this.deps.tenants.list(tx)) {
      const scope = new TenantScope(this.deps.db, tenant.id);
      await scope.query(`DELETE FROM lti_deep_link_requests WHERE tenant_id = $1 AND expires_at < now() - interval '1 day'`, [], tx);
      await scope.query(`DELETE FROM lti_launch_log WHERE tenant_id = $1 AND created_at < now() - make_interval(days => $2::int)`, [LOG_RETENTION_DAYS], tx);
      await this.enqueueDueRosterSyncs(tenant.id, this.deps.rosterSyncIntervalMs, tx);
    }
    await this.deps.jobs.enqueue(MAINTENANCE_JOB, {}, { delayMs: this.deps.intervalMs, transaction: tx });
  };

  /** Every course of the tenant with a roster service whose last sync is older than `olderThanMs` (0: all). */
  async enqueueDueRosterSyncs(tenantId: string, olderThanMs: number, transaction?: Transaction): Promise<number> {
    const due = await new TenantScope(this.deps.db, tenantId).query<{ id: string }>(
      `UPDATE lti_contexts SET roster_sync_requested_at = now()
       WHERE tenant_id = $1 AND memberships_url IS NOT NULL
         AND (roster_synced_at IS NULL OR roster_synced_at <= now() - make_interval(secs => $2::int / 1000.0))
       RETURNING id`,
      [olderThanMs],
      transaction,
    );
    await this.deps.jobs.enqueueMany(
      due.map((context) => ({ name: ROSTER_SYNC_JOB, payload: { contextRef: context.id } })),
      { tenantId, transaction },
    );
    return due.length;
  }

  /** Makes sure one maintenance run is scheduled. */
  ensureScheduled(): Promise<void> {
    return ensureScheduled(this.deps, MAINTENANCE_JOB, this.deps.intervalMs);
  }
}
