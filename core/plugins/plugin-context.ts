import { TenantScope } from '../db/tenant-scope.js';
import { ApiRouter } from '../http/api-router.js';
import { type PluginManifest, pluginTablePrefix } from './manifest.js';
import type { ServiceMap, ServiceName } from './plugin-services.js';
import type { RegistryDeps } from './plugin-registry.js';
import type { PluginContext } from './plugin-types.js';

export type ContextDeps = Omit<RegistryDeps, 'coreVersion' | 'tenantIdOf'> & { manifest: PluginManifest };

/** Builds a plugin's scoped context: everything it declares carries its id. */
export function createPluginContext(deps: ContextDeps): PluginContext {
  const { manifest } = deps;
  const id = manifest.id;
  const tablePrefix = pluginTablePrefix(id);
  const qualify = (name: string) => (name.startsWith(`${id}:`) ? name : `${id}:${name}`);
  return {
    id,
    manifest,
    log: deps.log.child({ plugin: id }),
    http: new ApiRouter({
      prefix: `/api/v1/plugins/${id}`,
      tag: `plugin: ${id}`,
      openapi: deps.openapi,
      capabilities: deps.capabilities,
      rawBodyRoutes: deps.rawBodyRoutes,
    }),
    db: {
      sequelize: deps.db,
      table: (name) => `${tablePrefix}${name}`,
      forTenant: (tenantId) => new TenantScope(deps.db, tenantId),
      transaction: (work) => deps.db.transaction(work),
    },
    settings: async <T>(tenantId: string) => (await deps.settings.read(tenantId, id)) as T,
    jobs: {
      define: (name, handler, options) => deps.jobRegistry.define({ name: qualify(name), handler, pluginId: id, ...options }),
      enqueue: (name, payload, options) => deps.jobs.enqueue(qualify(name), payload, options),
    },
    events: {
      on: (event, hook, options) => deps.events.on(id, event, hook, options?.priority),
      onAsync: (event, handler, options) => deps.events.onAsync(id, event, handler, options),
      emit: (event, payload, context) => {
        if (!manifest.events.emits.includes(event)) throw new Error(`Plugin ${id} does not declare the event ${event}`);
        return deps.events.emit(event, payload, context);
      },
    },
    holds: (principal, capability) => deps.capabilities.holds(principal, capability),
    cache: deps.cacheFor(id),
    metrics: deps.metricsFor(id),
    services: {
      provide: (name, implementation) => deps.services.provide(id, name, implementation),
      get: <N extends ServiceName>(name: N, tenantId: string) => deps.services.get(name, tenantId) as Promise<ServiceMap[N] | undefined>,
    },
    platform: deps.platform,
    lti: deps.lti,
  };
}
