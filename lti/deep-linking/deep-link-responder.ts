import type { Db } from '../../core/db/database.js';
import type { TenantService } from '../../core/tenancy/tenants.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import { OsvError } from '../../core/errors.js';
import type { LaunchLog } from '../launch/launch-log.js';
import { CONTENT_ITEM_PARAMETER } from '../launch/launch-recorder.js';
import type { ContentItem, LtiGateway } from '../lti-gateway.js';
import { loadWithTarget, serviceTarget } from '../services/service-target.js';
import type { ToolUrls } from '../tool-urls.js';
import type { ContentCatalogue } from './content-catalogue.js';
import type { DeepLinkRequest, DeepLinkRequests } from './deep-link-requests.js';

/**
 * Answers a deep-linking request with the items the instructor picked: each becomes an LTI
 * resource link whose custom parameter names the item, so every later launch of it opens that item.
 */
export class DeepLinkResponder {
  constructor(
    private readonly deps: {
      db: Db;
      requests: DeepLinkRequests;
      catalogue: ContentCatalogue;
      gateway: LtiGateway;
      launchLog: LaunchLog;
      urls: ToolUrls;
      tenants: Pick<TenantService, 'get'>;
    },
  ) {}

  async respond(tenantId: string, userId: string, requestId: string, itemKeys: string[]): Promise<{ returnUrl: string; jwt: string }> {
    const request = await this.deps.requests.claim(tenantId, requestId, userId);
    try {
      const { settings } = request;
      const items = await this.contentItems(tenantId, request, itemKeys);
      const withTarget = await loadWithTarget<DeepLinkRequest>(new TenantScope(this.deps.db, tenantId), 'lti_deep_link_requests', request.id);
      if (!withTarget) throw new OsvError('OSV_ERR_NOT_FOUND', 'The deep-linking request is gone');
      const jwt = await this.deps.gateway.deepLinkingResponse(serviceTarget(withTarget), settings, items);
      await this.deps.launchLog.record(tenantId, {
        kind: 'deep_link_response',
        outcome: 'success',
        registrationId: withTarget.registration_id,
        deploymentId: withTarget.deployment_id,
        userId,
        detail: { items: itemKeys },
      });
      return { returnUrl: settings.returnUrl, jwt };
    } catch (error) {
      await this.deps.requests.release(tenantId, request.id);
      await this.deps.launchLog.record(tenantId, {
        kind: 'deep_link_response',
        outcome: 'failure',
        code: error instanceof OsvError ? error.code : 'OSV_ERR_INTERNAL',
        reason: (error as Error).message,
        userId,
        detail: { items: itemKeys },
      });
      throw error;
    }
  }

  private async contentItems(tenantId: string, request: DeepLinkRequest, itemKeys: string[]): Promise<ContentItem[]> {
    const { settings } = request;
    if (!settings.acceptTypes.includes('ltiResourceLink')) {
      throw new OsvError('OSV_ERR_LTI_SERVICE_NOT_GRANTED', `The LMS accepts ${settings.acceptTypes.join(', ')} here, not LTI links`);
    }
    if (!settings.acceptMultiple && itemKeys.length > 1) throw new OsvError('OSV_ERR_VALIDATION', 'The LMS accepts one item here');
    // Links launch through the tenant's own URL, like everything the LMS was given.
    const launchUrl = this.deps.urls.tenantLaunch((await this.deps.tenants.get(tenantId)).slug);
    const items: ContentItem[] = [];
    for (const key of itemKeys) {
      const item = await this.deps.catalogue.find(tenantId, key);
      if (!item) throw new OsvError('OSV_ERR_VALIDATION', `No enabled plugin offers ${key}`, [{ field: 'body.items', issue: `unknown item ${key}` }]);
      items.push({
        type: 'ltiResourceLink',
        title: item.title,
        ...(item.description ? { text: item.description } : {}),
        url: launchUrl,
        custom: { [CONTENT_ITEM_PARAMETER]: item.key },
        // Moodle (its default "delegate to teacher") and Canvas create the column only when the
        // item declares one. resourceId and tag are the item key: a plugin posting with
        // `lineItem.tag` set to its item key finds this same column.
        ...(item.gradable
          ? { lineItem: { label: item.gradable.label ?? item.title, scoreMaximum: item.gradable.scoreMaximum, resourceId: item.key, tag: item.key } }
          : {}),
      });
    }
    return items;
  }
}
