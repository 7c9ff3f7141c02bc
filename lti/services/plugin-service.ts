import type { Principal } from '../../core/auth/principal.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import { OsvError } from '../../core/errors.js';
import type { Kernel } from '../../core/kernel.js';
import type { LtiPluginService, LtiScoreSubmission } from '../../core/plugins/plugin-lti.js';
import type { Transaction } from '../../core/db/database.js';
import { AGS_SCORE_JOB, scorePayloadSchema } from './ags-score-job.js';

/**
 * `ctx.lti` for plugins. It exists before the kernel does (plugins receive it while booting) and
 * is bound to the kernel when the LTI module starts, which is before any plugin runs.
 */
export class PluginLtiService implements LtiPluginService {
  private kernel: Kernel | undefined;

  bind(kernel: Kernel): void {
    this.kernel = kernel;
  }

  async submitScore(submission: LtiScoreSubmission, options: { transaction?: Transaction } = {}): Promise<string> {
    const kernel = this.kernel;
    if (!kernel) throw new Error('The LTI module has not started');
    const { tenantId, ...score } = submission;
    const parsed = scorePayloadSchema.safeParse(score);
    if (!parsed.success) {
      throw new OsvError('OSV_ERR_VALIDATION', `The score is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    }
    const link = await new TenantScope(kernel.db, tenantId).findOne('lti_resource_links', { id: parsed.data.resourceLinkId }, options.transaction);
    if (!link) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such LTI resource link in this tenant');
    return kernel.jobs.enqueue(AGS_SCORE_JOB, parsed.data, { tenantId, transaction: options.transaction });
  }

  launchOf(principal: Principal): { contextId?: string; resourceLinkId?: string } | undefined {
    const scope = principal.kind === 'member' ? (principal.scope ?? []) : [];
    if (!scope.includes('lti')) return undefined;
    const value = (prefix: string) => scope.find((entry) => entry.startsWith(prefix))?.slice(prefix.length);
    return { contextId: value('lti-context:'), resourceLinkId: value('lti-link:') };
  }
}
