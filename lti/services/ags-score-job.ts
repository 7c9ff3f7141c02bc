import { z } from 'zod';
import type { Db, Transaction } from '../../core/db/database.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import type { ErrorCode } from '../../core/errors.js';
import type { JobRecord } from '../../core/jobs/job-types.js';
import type { Logger } from '../../core/logger.js';
import type { UserService } from '../../core/tenancy/users.js';
import type { LaunchLog } from '../launch/launch-log.js';
import { LmsCallError, type LtiGateway, type ServiceTarget } from '../lti-gateway.js';
import { AGS_SCOPES } from '../registration/tool-configuration.js';
import { loadWithTarget, serviceTarget, type TargetRow } from './service-target.js';

export const AGS_SCORE_JOB = 'lti:ags-score';
export const AGS_SCORE_ATTEMPTS = 6;

export const scorePayloadSchema = z.object({
  resourceLinkId: z.uuid(),
  userId: z.uuid(),
  scoreGiven: z.number().min(0),
  scoreMaximum: z.number().positive(),
  activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']).default('Completed'),
  gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']).default('FullyGraded'),
  comment: z.string().max(4000).optional(),
  lineItem: z.object({ tag: z.string().min(1).max(255), label: z.string().min(1).max(255) }).optional(),
});

export type ScorePayload = z.infer<typeof scorePayloadSchema>;

interface LinkRow {
  id: string;
  context_ref: string | null;
  resource_link_id: string;
  title: string | null;
  lineitems_url: string | null;
  lineitem_url: string | null;
  ags_scopes: string[];
}

/** A refusal worth recording but not retrying: asking again gets the same answer. */
class Definitive extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Posts one grade to the LMS (AGS) from the endpoints stored at launch, with a client-credentials
 * token. Refusals (not a learner, service not granted, the LMS's own 4xx such as Moodle's
 * "Incorrect score received") are recorded and not retried; outages are retried with backoff.
 */
export class AgsScoreJob {
  constructor(
    private readonly deps: { db: Db; users: UserService; gateway: LtiGateway; launchLog: LaunchLog; log: Logger },
  ) {}

  handle = async (job: JobRecord, tx: Transaction): Promise<void> => {
    const tenantId = job.tenantId;
    if (!tenantId) throw new Error(`${AGS_SCORE_JOB} needs a tenant`);
    const parsed = scorePayloadSchema.safeParse(job.payload);
    if (!parsed.success) {
      await this.fail(tenantId, undefined, undefined, 'OSV_ERR_VALIDATION', `The score request is invalid: ${parsed.error.message}`, tx);
      return;
    }
    const score = parsed.data;
    const scope = new TenantScope(this.deps.db, tenantId);
    const link = await loadWithTarget<LinkRow>(scope, 'lti_resource_links', score.resourceLinkId, tx);
    const where = link && { registrationId: link.registration_id, deploymentId: link.deployment_id, contextRef: link.context_ref ?? undefined };
    try {
      const lineItemUrl = await this.post(scope, link, score, tx);
      await this.deps.launchLog.record(
        tenantId,
        { kind: 'ags_score', outcome: 'success', userId: score.userId, ...where, detail: { lineItem: lineItemUrl, scoreGiven: score.scoreGiven, scoreMaximum: score.scoreMaximum } },
        tx,
      );
    } catch (error) {
      if (error instanceof Definitive) return this.fail(tenantId, score, where, error.code, error.message, tx);
      if (error instanceof LmsCallError && error.definitive) {
        return this.fail(tenantId, score, where, 'OSV_ERR_LTI_LMS_REFUSED', `The LMS answered ${error.status}: ${error.body ?? error.message}`, tx);
      }
      // Retried: the record goes outside the job's transaction, which rolls back.
      const last = job.attempt >= AGS_SCORE_ATTEMPTS;
      const reason = `${(error as Error).message} (attempt ${job.attempt} of ${AGS_SCORE_ATTEMPTS}${last ? ', giving up' : ', will retry'})`;
      await this.fail(tenantId, score, where, 'OSV_ERR_LTI_PLATFORM_UNREACHABLE', reason);
      throw error;
    }
  };

  private async post(scope: TenantScope, link: (LinkRow & TargetRow) | undefined, score: ScorePayload, tx: Transaction): Promise<string> {
    const tenantId = scope.tenantId;
    if (!link) throw new Definitive('OSV_ERR_NOT_FOUND', 'The LTI resource link no longer exists');
    if (link.registration_status !== 'active') throw new Definitive('OSV_ERR_LTI_REGISTRATION_DISABLED', 'The LMS registration is disabled');
    const user = await this.deps.users.get(tenantId, score.userId).catch(() => undefined);
    if (!user || user.issuer !== `lti:${link.issuer}`) throw new Definitive('OSV_ERR_NOT_FOUND', 'The user did not come from this LMS');
    const [membership] = link.context_ref
      ? await scope.query<{ role: string; status: string }>(
          'SELECT role, status FROM lti_memberships WHERE tenant_id = $1 AND context_ref = $2 AND user_id = $3',
          [link.context_ref, user.id],
          tx,
        )
      : [];
    // Moodle answers "400 Incorrect score received" for anyone but an enrolled learner.
    if (membership && (membership.role !== 'learner' || membership.status !== 'active')) {
      throw new Definitive('OSV_ERR_LTI_NOT_GRADABLE', `The user is ${membership.status === 'active' ? `an ${membership.role}` : 'no longer a member'} in this course, not a learner`);
    }
    if (!link.ags_scopes.includes(AGS_SCOPES.score)) {
      throw new Definitive('OSV_ERR_LTI_SERVICE_NOT_GRANTED', 'The LMS did not grant grade posting (AGS score scope) for this link');
    }
    const target = serviceTarget(link);
    const lineItemUrl = await this.lineItem(scope, target, link, score, tx);
    await this.deps.gateway.submitScore(target, lineItemUrl, {
      userId: user.subject,
      scoreGiven: score.scoreGiven,
      scoreMaximum: score.scoreMaximum,
      activityProgress: score.activityProgress,
      gradingProgress: score.gradingProgress,
      ...(score.comment ? { comment: score.comment } : {}),
    });
    return lineItemUrl;
  }

  /** The link's own column, or one found (or created) by tag or by resource link. */
  private async lineItem(scope: TenantScope, target: ServiceTarget, link: LinkRow, score: ScorePayload, tx: Transaction): Promise<string> {
    if (!score.lineItem && link.lineitem_url) return link.lineitem_url;
    if (!link.lineitems_url || !link.ags_scopes.includes(AGS_SCOPES.lineItem)) {
      throw new Definitive(
        'OSV_ERR_LTI_SERVICE_NOT_GRANTED',
        'This link has no grade column and the LMS did not allow osv to create one (in Moodle: tick "Accept grades from the tool"; in Canvas: add osv as an assignment)',
      );
    }
    const query = score.lineItem ? { tag: score.lineItem.tag, resourceLinkId: link.resource_link_id } : { resourceLinkId: link.resource_link_id };
    const found = await this.deps.gateway.findLineItem(target, link.lineitems_url, query);
    if (found?.id) return found.id;
    const created = await this.deps.gateway.createLineItem(target, link.lineitems_url, {
      label: score.lineItem?.label ?? link.title ?? 'Open Study Volt',
      scoreMaximum: score.scoreMaximum,
      resourceLinkId: link.resource_link_id,
      ...(score.lineItem ? { tag: score.lineItem.tag } : {}),
    });
    if (!created.id) throw new LmsCallError('line item creation: the LMS returned no id', undefined, undefined);
    if (!score.lineItem) await scope.update('lti_resource_links', { id: link.id }, { lineitem_url: created.id }, tx);
    return created.id;
  }

  private async fail(
    tenantId: string,
    score: ScorePayload | undefined,
    where: { registrationId: string; deploymentId: string; contextRef?: string } | undefined,
    code: ErrorCode,
    reason: string,
    tx?: Transaction,
  ): Promise<void> {
    this.deps.log.warn({ tenantId, code, reason }, 'LTI grade post failed');
    const entry = { kind: 'ags_score' as const, outcome: 'failure' as const, code, reason, userId: score?.userId, ...where, detail: { resourceLinkId: score?.resourceLinkId } };
    await this.deps.launchLog.record(tenantId, entry, tx);
  }
}
