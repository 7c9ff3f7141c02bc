import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CORE_VERSION } from '../version.js';

type SecurityRequirement = Record<string, string[]>;

/** Every credential the API takes (the kernel registers `bearer`; its full description is here). */
const SECURITY_SCHEMES = {
  bearer: {
    type: 'http' as const,
    scheme: 'bearer',
    description:
      'sk_… secret API key (servers only: refused when a browser sends it), ses_… admin session token, or a member access token ' +
      '(from POST /api/v1/auth/embed-token or an LTI launch).',
  },
  publishableKey: {
    type: 'apiKey' as const,
    in: 'query' as const,
    name: 'key',
    description:
      "A site's pk_… publishable key, as widgets send it (the query form lets a CORS preflight be checked against the key). " +
      "The request's Origin must be one the key allows, and a key limited to some widgets reaches only their routes. " +
      'Sent with a member access token (bearer), both must belong to the same tenant.',
  },
  publishableKeyHeader: {
    type: 'apiKey' as const,
    in: 'header' as const,
    name: 'Osv-Key',
    description: 'The same publishable key as a header. A browser on another origin must use the query form: a CORS preflight carries no header values.',
  },
};

/**
 * Who may call a route, as OpenAPI security requirements (any one suffices): nobody for a public
 * route; a bearer token (secret API key, session, or member access token); and for routes serving
 * widgets, a publishable key too, alone or with a member's token.
 */
export function routeSecurity(access: string, widgets: string[] | undefined): SecurityRequirement[] {
  if (access === 'public') return [];
  const bearer: SecurityRequirement[] = [{ bearer: [] }];
  if (!widgets) return bearer;
  return [...bearer, { publishableKey: [] }, { publishableKeyHeader: [] }, { bearer: [], publishableKey: [] }];
}

/** The header a platform owner sends to act on another tenant than their own. */
export const tenantHeader = z.object({
  'Osv-Tenant': z
    .string()
    .optional()
    .describe("Platform owners only: act on this tenant (slug or id) instead of the owner's own; anyone else sending it is refused with OSV_ERR_FORBIDDEN"),
});

export function buildOpenApiDocument(registry: OpenAPIRegistry, serverUrl: string) {
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Open Study Volt API',
      version: CORE_VERSION,
      description: 'Core, admin and plugin routes. Every route states the access it needs.',
    },
    servers: [{ url: serverUrl }],
  });
  document.components = { ...document.components, securitySchemes: { ...document.components?.securitySchemes, ...SECURITY_SCHEMES } };
  return document;
}
