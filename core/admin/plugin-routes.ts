import { z } from 'zod';
import { authenticatedPrincipal, type ApiRouter } from '../http/api-router.js';
import type { Kernel } from '../kernel.js';
import { pluginParams } from './schemas.js';

export function pluginRoutes(api: ApiRouter, kernel: Kernel): void {
  const { plugins } = kernel;

  api.route({
    method: 'get',
    path: '/admin/plugins',
    summary: 'Every plugin present: lifecycle state, versions, and whether the tenant enabled it',
    access: 'core:plugins.configure',
    handler: async ({ principal }) => {
      const tenantId = authenticatedPrincipal(principal).tenantId;
      return Promise.all(
        (await plugins.list()).map(async (status) => ({ ...status, enabled: await plugins.isEnabled(tenantId, status.id) })),
      );
    },
  });

  for (const action of ['install', 'upgrade'] as const) {
    api.route({
      method: 'post',
      path: `/admin/plugins/:id/${action}`,
      summary: action === 'install' ? 'Install a discovered plugin (applies its migrations)' : 'Apply a newer plugin version',
      access: 'core:plugins.install',
      params: pluginParams,
      handler: ({ params }) => plugins[action](params.id),
    });
  }

  api.route({
    method: 'delete',
    path: '/admin/plugins/:id',
    summary: 'Uninstall a plugin everywhere: drops its tables, settings and grants',
    access: 'core:plugins.install',
    params: pluginParams,
    handler: ({ params }) => plugins.uninstall(params.id),
  });

  for (const enabled of [true, false]) {
    api.route({
      method: 'post',
      path: `/admin/plugins/:id/${enabled ? 'enable' : 'disable'}`,
      summary: enabled ? 'Enable the plugin for the tenant' : 'Disable the plugin for the tenant (data is kept)',
      access: 'core:plugins.configure',
      params: pluginParams,
      status: 204,
      handler: ({ params, principal }) => plugins.setEnabled(authenticatedPrincipal(principal).tenantId, params.id, enabled),
    });
  }

  const settingsResponse = z.object({ values: z.record(z.string(), z.unknown()), secrets: z.record(z.string(), z.boolean()) });

  api.route({
    method: 'get',
    path: '/admin/plugins/:id/settings',
    summary: "The tenant's plugin settings; secret values are reported as set or not, never returned",
    access: 'core:plugins.configure',
    params: pluginParams,
    response: settingsResponse,
    handler: ({ params, principal }) => kernel.pluginSettings.readPublic(authenticatedPrincipal(principal).tenantId, plugins.manifest(params.id)),
  });

  api.route({
    method: 'put',
    path: '/admin/plugins/:id/settings',
    summary: "Change the tenant's plugin settings (validated by the plugin's schema; secrets encrypted at rest)",
    access: 'core:plugins.configure',
    params: pluginParams,
    body: z.record(z.string(), z.unknown()),
    response: settingsResponse,
    handler: ({ params, body, principal }) =>
      kernel.pluginSettings.write(authenticatedPrincipal(principal).tenantId, plugins.manifest(params.id), body),
  });
}
