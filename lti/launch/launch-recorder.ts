import type { Db, Transaction } from '../../core/db/database.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import type { JobQueue } from '../../core/jobs/outbox.js';
import type { MemberRole, User, UserService } from '../../core/tenancy/users.js';
import type { MembershipEvent } from '../lti-events.js';
import type { Deployment, Registration } from '../registry/registrations.js';
import type { LaunchClaims } from './claims.js';
import { MEMBERSHIP_EVENT_JOB } from '../services/membership-event-job.js';
import { ROSTER_SYNC_JOB } from '../services/roster-sync-job.js';
import { LAUNCH_STATEMENT, type LaunchStatementRow } from './launch-statement.js';
import { osvRoleOf } from './roles.js';

export interface RecordedLaunch {
  user: User;
  role: MemberRole;
  context?: { id: string; title: string | null };
  resourceLink?: { id: string; title: string | null; contentItem: string | null };
  deepLinkRequestId?: string;
}

/** Custom parameter a deep-linked item carries back in every later launch of its link. */
export const CONTENT_ITEM_PARAMETER = 'osv_item';

const DEEP_LINK_REQUEST_TTL_MINUTES = 60;

/**
 * What a valid launch changes, in one transaction: the user, the course and the link as the LMS
 * describes them now (with the service endpoints jobs will use later), the membership, the log
 * entry, and — at most once per interval per course — a roster sync; when the membership is new,
 * its `lti.membership.added` event.
 */
export class LaunchRecorder {
  constructor(
    private readonly deps: {
      db: Db;
      users: UserService;
      jobs: JobQueue;
      rosterSyncAfterLaunchMs: number;
    },
  ) {}

  record(registration: Registration, deployment: Deployment, claims: LaunchClaims): Promise<RecordedLaunch> {
    const tenantId = registration.tenant_id;
    const scope = new TenantScope(this.deps.db, tenantId);
    return this.deps.db.transaction(async (tx) => {
      const role = osvRoleOf(claims.roles);
      const user = await this.deps.users.upsert(
        tenantId,
        { issuer: `lti:${registration.issuer}`, subject: claims.subject, email: claims.email, name: claims.name, role },
        tx,
      );
      const detail = { role, roles: claims.roles, resourceLinkId: claims.resourceLink?.id, contextId: claims.context?.id };
      const [written] = await scope.query<LaunchStatementRow>(
        LAUNCH_STATEMENT,
        [
          deployment.id,
          claims.context?.id ?? null,
          claims.context?.title ?? null,
          claims.context?.label ?? null,
          claims.membershipsUrl ?? null,
          this.deps.rosterSyncAfterLaunchMs,
          claims.resourceLink?.id ?? null,
          claims.resourceLink?.title ?? null,
          claims.custom[CONTENT_ITEM_PARAMETER] ?? null,
          claims.ags?.lineItemsUrl ?? null,
          claims.ags?.lineItemUrl ?? null,
          claims.ags?.scopes ?? [],
          user.id,
          role,
          claims.roles,
          claims.messageType === 'LtiDeepLinkingRequest' ? 'deep_link' : 'launch',
          registration.id,
          deployment.deployment_id,
          claims.messageType,
          claims.subject,
          JSON.stringify(detail),
        ],
        tx,
      );
      const row = written!;
      if (row.roster_sync_due && row.context_ref) {
        await this.deps.jobs.enqueue(ROSTER_SYNC_JOB, { contextRef: row.context_ref }, { tenantId, transaction: tx });
      }
      if (row.membership_added && row.context_ref) {
        const event: MembershipEvent = {
          contextId: row.context_ref,
          userId: user.id,
          role,
          roles: claims.roles,
          source: 'launch',
          lms: { issuer: registration.issuer, contextId: claims.context!.id, userId: claims.subject },
        };
        // Through a job rather than emitted here: emitting looks up which plugins are enabled on
        // another pool connection while this transaction holds one, which can exhaust the pool
        // under concurrent launches.
        await this.deps.jobs.enqueue(MEMBERSHIP_EVENT_JOB, { event: 'lti.membership.added', payload: event }, { tenantId, transaction: tx });
      }
      const deepLinkRequestId = claims.deepLinking && (await this.createDeepLinkRequest(scope, deployment, user, claims, tx));
      return {
        user,
        role,
        context: row.context_ref ? { id: row.context_ref, title: row.context_title } : undefined,
        resourceLink: row.link_ref ? { id: row.link_ref, title: row.link_title, contentItem: row.content_item } : undefined,
        deepLinkRequestId,
      };
    });
  }

  private async createDeepLinkRequest(scope: TenantScope, deployment: Deployment, user: User, claims: LaunchClaims, tx: Transaction): Promise<string> {
    const request = await scope.insert<{ id: string }>(
      'lti_deep_link_requests',
      {
        deployment_ref: deployment.id,
        user_id: user.id,
        settings: JSON.stringify(claims.deepLinking),
        expires_at: new Date(Date.now() + DEEP_LINK_REQUEST_TTL_MINUTES * 60_000),
      },
      tx,
    );
    return request.id;
  }
}
