import { z } from 'zod';
import { OsvError } from '../errors.js';
import { authenticatedPrincipal, type ApiRouter } from '../http/api-router.js';
import type { Kernel } from '../kernel.js';
import { emailSchema, roleSchema, slugSchema, tenantRoleSchema, tenantSchema } from './schemas.js';

export function tenantRoutes(api: ApiRouter, kernel: Kernel): void {
  api.route({
    method: 'get',
    path: '/tenant',
    summary: 'The tenant the caller acts on',
    access: 'core:tenant.read',
    response: tenantSchema,
    handler: ({ principal }) => kernel.tenants.get(authenticatedPrincipal(principal).tenantId),
  });

  api.route({
    method: 'get',
    path: '/admin/tenants',
    summary: 'List every tenant',
    access: 'core:tenants.manage',
    response: z.array(tenantSchema),
    handler: () => kernel.tenants.list(),
  });

  api.route({
    method: 'post',
    path: '/admin/tenants',
    summary: 'Create a tenant and its first admin account (the password is shown once)',
    access: 'core:tenants.manage',
    status: 201,
    body: z.object({ slug: slugSchema, name: z.string().min(1).max(200), adminEmail: emailSchema }),
    response: z.object({ tenant: tenantSchema, admin: z.object({ email: z.string(), password: z.string() }) }),
    handler: async ({ body }) =>
      kernel.db.transaction(async (transaction) => {
        const tenant = await kernel.tenants.create(body, transaction);
        const { user, password } = await kernel.tenants.createUser(tenant.id, { email: body.adminEmail, role: 'admin' }, transaction);
        return { tenant, admin: { email: user.email, password } };
      }),
  });

  api.route({
    method: 'get',
    path: '/admin/users',
    summary: "List the tenant's admin accounts",
    access: 'core:users.manage',
    handler: ({ principal }) => kernel.tenants.listUsers(authenticatedPrincipal(principal).tenantId),
  });

  api.route({
    method: 'post',
    path: '/admin/users',
    summary: 'Create an account in the tenant (the generated password is shown once)',
    access: 'core:users.manage',
    status: 201,
    body: z.object({ email: emailSchema, role: tenantRoleSchema }),
    handler: async ({ body, principal }) => {
      const { user, password } = await kernel.tenants.createUser(authenticatedPrincipal(principal).tenantId, body);
      return { user, password };
    },
  });

  api.route({
    method: 'get',
    path: '/admin/capabilities',
    summary: 'Every capability the platform and its plugins declare',
    access: 'core:users.manage',
    handler: () => kernel.capabilities.list().map(({ name, description, defaultRoles, risk, platform }) => ({ name, description, defaultRoles, risk, platform: platform ?? false })),
  });

  api.route({
    method: 'put',
    path: '/admin/capabilities',
    summary: "Grant or deny a capability to a role in the tenant (overrides the plugin's default)",
    access: 'core:users.manage',
    status: 204,
    body: z.object({ role: roleSchema.exclude(['owner', 'admin']), capability: z.string(), granted: z.boolean() }),
    handler: async ({ body, principal }) => {
      const capability = kernel.capabilities.get(body.capability);
      if (!capability || capability.platform) {
        throw new OsvError('OSV_ERR_VALIDATION', `body.capability: ${body.capability} is not a tenant capability`, [
          { field: 'body.capability', issue: 'unknown or platform-wide capability' },
        ]);
      }
      await kernel.capabilities.setGrant(authenticatedPrincipal(principal).tenantId, body.role, body.capability, body.granted);
    },
  });
}
