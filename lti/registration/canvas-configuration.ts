import type { Tenant } from '../../core/tenancy/tenants.js';
import type { ToolUrls } from '../tool-urls.js';
import { TOOL_DESCRIPTION, TOOL_MESSAGES, TOOL_NAME, TOOL_SCOPES } from './tool-configuration.js';

/**
 * The LTI 1.3 JSON Canvas takes for a developer key ("Enter URL" or "Paste JSON"), at a stable
 * per-tenant URL: it points Canvas at the tenant's own login and launch URLs and key set.
 */
export function canvasConfiguration(urls: ToolUrls, tenant: Pick<Tenant, 'slug' | 'name'>) {
  return {
    title: `${TOOL_NAME} · ${tenant.name}`,
    description: TOOL_DESCRIPTION,
    oidc_initiation_url: urls.tenantLogin(tenant.slug),
    target_link_uri: urls.tenantLaunch(tenant.slug),
    public_jwk_url: urls.jwks(tenant.slug),
    scopes: TOOL_SCOPES,
    extensions: [
      {
        domain: urls.domain,
        tool_id: `osv-${tenant.slug}`,
        platform: 'canvas.instructure.com',
        // "public" shares names and emails, which osv shows to instructors.
        privacy_level: 'public',
        settings: {
          text: TOOL_NAME,
          placements: TOOL_MESSAGES.flatMap((message) =>
            message.placements.map((placement) => ({
              placement,
              message_type: message.type,
              target_link_uri: urls.tenantLaunch(tenant.slug),
              text: message.label,
            })),
          ),
        },
      },
    ],
    custom_fields: {},
  };
}
