import { z } from 'zod';
import { authenticatedPrincipal, type ApiRouter } from '../http/api-router.js';
import type { Kernel } from '../kernel.js';
import { idParams, originSchema, tenantRoleSchema } from './schemas.js';

export function keyRoutes(api: ApiRouter, kernel: Kernel): void {
  api.route({
    method: 'get',
    path: '/admin/keys',
    summary: "The tenant's secret API keys (prefixes only)",
    access: 'core:keys.manage',
    handler: ({ principal }) => kernel.credentials.listApiKeys(authenticatedPrincipal(principal).tenantId),
  });

  api.route({
    method: 'post',
    path: '/admin/keys',
    summary: 'Create a secret API key for server-to-server calls; the key is shown once',
    access: 'core:keys.manage',
    status: 201,
    body: z.object({ name: z.string().min(1).max(100), role: tenantRoleSchema.default('admin') }),
    handler: ({ body, principal }) => kernel.credentials.createApiKey(authenticatedPrincipal(principal).tenantId, body),
  });

  api.route({
    method: 'delete',
    path: '/admin/keys/:id',
    summary: 'Revoke a secret API key at once',
    access: 'core:keys.manage',
    params: idParams,
    status: 204,
    handler: ({ params, principal }) => kernel.credentials.revokeApiKey(authenticatedPrincipal(principal).tenantId, params.id),
  });

  api.route({
    method: 'get',
    path: '/admin/publishable-keys',
    summary: "The tenant's publishable keys (pk_…) for embedding widgets",
    access: 'core:keys.manage',
    handler: ({ principal }) => kernel.publishableKeys.list(authenticatedPrincipal(principal).tenantId),
  });

  api.route({
    method: 'post',
    path: '/admin/publishable-keys',
    summary: 'Create a publishable key limited to the listed site origins (and widgets, if given)',
    access: 'core:keys.manage',
    status: 201,
    body: z.object({
      name: z.string().min(1).max(100),
      allowedOrigins: z.array(originSchema).min(1).max(50),
      allowedWidgets: z.array(z.string().regex(/^osv-[a-z0-9-]+$/)).max(50).default([]),
    }),
    handler: ({ body, principal }) => kernel.publishableKeys.create(authenticatedPrincipal(principal).tenantId, body),
  });

  api.route({
    method: 'delete',
    path: '/admin/publishable-keys/:id',
    summary: 'Revoke a publishable key: sites using it stop working at once',
    access: 'core:keys.manage',
    params: idParams,
    status: 204,
    handler: ({ params, principal }) => kernel.publishableKeys.revoke(authenticatedPrincipal(principal).tenantId, params.id),
  });
}
