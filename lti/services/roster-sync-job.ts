import { z } from 'zod';
import type { Db, Transaction } from '../../core/db/database.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import type { ErrorCode } from '../../core/errors.js';
import type { EventBus } from '../../core/events/event-bus.js';
import type { JobRecord } from '../../core/jobs/job-types.js';
import type { Logger } from '../../core/logger.js';
import type { MemberRole, UserService } from '../../core/tenancy/users.js';
import type { LaunchLog } from '../launch/launch-log.js';
import { canonicalRoles, osvRoleOf } from '../launch/roles.js';
import type { MembershipEvent } from '../lti-events.js';
import { LmsCallError, type LtiGateway, type RosterMember } from '../lti-gateway.js';
import { loadWithTarget, serviceTarget, type TargetRow } from './service-target.js';

export const ROSTER_SYNC_JOB = 'lti:roster-sync';
export const ROSTER_SYNC_ATTEMPTS = 5;
/** Where and how often a roster sync runs, wherever it is queued from. */
export const ROSTER_SYNC_JOB_OPTIONS = { queue: 'low', maxAttempts: ROSTER_SYNC_ATTEMPTS } as const;

const payloadSchema = z.object({ contextRef: z.uuid() });

interface ContextRow {
  id: string;
  context_id: string;
  memberships_url: string | null;
}

interface KnownMember {
  user_id: string;
  subject: string;
  status: 'active' | 'inactive';
  role: MemberRole;
  lti_roles: string[];
}

/**
 * One course's roster from the LMS (NRPS), all pages: new and returning members become active
 * memberships, members gone from the roster (or inactive there) are deactivated, and each change
 * is emitted as `lti.membership.added` / `lti.membership.removed` in the same transaction.
 */
export class RosterSyncJob {
  constructor(
    private readonly deps: { db: Db; users: UserService; events: EventBus; gateway: LtiGateway; launchLog: LaunchLog; log: Logger },
  ) {}

  handle = async (job: JobRecord, tx: Transaction): Promise<void> => {
    const tenantId = job.tenantId;
    if (!tenantId) throw new Error(`${ROSTER_SYNC_JOB} needs a tenant`);
    const payload = payloadSchema.safeParse(job.payload);
    if (!payload.success) return;
    const scope = new TenantScope(this.deps.db, tenantId);
    const context = await loadWithTarget<ContextRow>(scope, 'lti_contexts', payload.data.contextRef, tx);
    if (!context) return;
    const fail = (code: ErrorCode, reason: string, transaction?: Transaction) =>
      this.deps.launchLog.record(tenantId, { kind: 'nrps_sync', outcome: 'failure', code, reason, contextRef: context.id, registrationId: context.registration_id }, transaction);
    if (context.registration_status !== 'active') return fail('OSV_ERR_LTI_REGISTRATION_DISABLED', 'The LMS registration is disabled', tx);
    if (!context.memberships_url) {
      return fail('OSV_ERR_LTI_SERVICE_NOT_GRANTED', 'The LMS did not offer its roster service (NRPS) for this course', tx);
    }
    let roster: RosterMember[];
    try {
      roster = await this.deps.gateway.listMembers(serviceTarget(context), context.memberships_url);
    } catch (error) {
      if (error instanceof LmsCallError && error.definitive) {
        return fail('OSV_ERR_LTI_LMS_REFUSED', `The LMS answered ${error.status} to the roster request: ${error.body ?? error.message}`, tx);
      }
      const last = job.attempt >= ROSTER_SYNC_ATTEMPTS;
      await fail('OSV_ERR_LTI_PLATFORM_UNREACHABLE', `${(error as Error).message} (attempt ${job.attempt} of ${ROSTER_SYNC_ATTEMPTS}${last ? ', giving up' : ', will retry'})`);
      throw error;
    }
    const changes = await this.apply(scope, context, roster, tx);
    await scope.update('lti_contexts', { id: context.id }, { roster_synced_at: new Date() }, tx);
    await this.deps.launchLog.record(
      tenantId,
      { kind: 'nrps_sync', outcome: 'success', contextRef: context.id, registrationId: context.registration_id, detail: { members: roster.length, ...changes } },
      tx,
    );
  };

  private async apply(scope: TenantScope, context: ContextRow & TargetRow, roster: RosterMember[], tx: Transaction): Promise<{ added: number; removed: number }> {
    const issuer = `lti:${context.issuer}`;
    const known = new Map(
      (
        await scope.query<KnownMember>(
          `SELECT m.user_id, u.subject, m.status, m.role, m.lti_roles FROM lti_memberships m JOIN users u ON u.id = m.user_id
           WHERE m.tenant_id = $1 AND m.context_ref = $2`,
          [context.id],
          tx,
        )
      ).map((member) => [member.subject, member]),
    );
    const active = roster.filter((member) => member.status === 'Active').map((member) => ({ ...member, roles: canonicalRoles(member.roles) }));
    const present = new Set(active.map((member) => member.userId));
    let added = 0;
    let removed = 0;
    for (const member of active) {
      const role = osvRoleOf(member.roles);
      const previous = known.get(member.userId);
      if (previous?.status === 'active' && previous.role === role) continue;
      const user = previous
        ? { id: previous.user_id }
        : await this.deps.users.upsert(scope.tenantId, { issuer, subject: member.userId, name: member.name, email: member.email, role }, tx);
      await scope.query(
        `INSERT INTO lti_memberships (tenant_id, context_ref, user_id, role, lti_roles, status, source) VALUES ($1, $2, $3, $4, $5, 'active', 'roster')
         ON CONFLICT (context_ref, user_id) DO UPDATE SET role = EXCLUDED.role, lti_roles = EXCLUDED.lti_roles, status = 'active', updated_at = now()
         WHERE lti_memberships.tenant_id = $1`,
        [context.id, user.id, role, member.roles],
        tx,
      );
      if (previous?.status !== 'active') {
        added++;
        await this.emit('lti.membership.added', scope.tenantId, context, { userId: user.id, subject: member.userId, role, roles: member.roles }, tx);
      }
    }
    for (const [subject, member] of known) {
      if (member.status !== 'active' || present.has(subject)) continue;
      await scope.update('lti_memberships', { context_ref: context.id, user_id: member.user_id }, { status: 'inactive', updated_at: new Date() }, tx);
      removed++;
      await this.emit('lti.membership.removed', scope.tenantId, context, { userId: member.user_id, subject, role: member.role, roles: member.lti_roles }, tx);
    }
    return { added, removed };
  }

  private emit(
    event: 'lti.membership.added' | 'lti.membership.removed',
    tenantId: string,
    context: ContextRow & TargetRow,
    member: { userId: string; subject: string; role: MemberRole; roles: string[] },
    tx: Transaction,
  ): Promise<void> {
    const payload: MembershipEvent = {
      contextId: context.id,
      userId: member.userId,
      role: member.role,
      roles: member.roles,
      source: 'roster',
      lms: { issuer: context.issuer, contextId: context.context_id, userId: member.subject },
    };
    return this.deps.events.emit(event, payload, { tenantId, transaction: tx });
  }
}
