import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { CapabilityRegistry } from '../auth/capabilities.js';
import type { Db, Transaction } from '../db/database.js';
import { TenantScope } from '../db/tenant-scope.js';
import type { EventBus } from '../events/event-bus.js';
import { ApiRouter } from '../http/api-router.js';
import type { RawBodyRoutes } from '../http/raw-body.js';
import type { JobRegistry } from '../jobs/job-registry.js';
import type { JobQueue } from '../jobs/outbox.js';
import type { Logger } from '../logger.js';
import { type PluginManifest, pluginTablePrefix } from './manifest.js';
import type { PluginCache } from './plugin-cache.js';
import type { PluginMetrics } from './plugin-metrics.js';
import type { LtiPluginService } from './plugin-lti.js';
import type { PlatformFacts } from './plugin-platform.js';
import type { ServiceMap, ServiceName, ServiceRegistry } from './plugin-services.js';
import type { PluginSettingsStore } from './plugin-settings.js';
import type { PluginContext } from './plugin-types.js';

/** The platform parts every plugin context is built from. */
export interface PlatformParts {
  db: Db;
  log: Logger;
  capabilities: CapabilityRegistry;
  jobRegistry: JobRegistry;
  jobs: JobQueue;
  events: EventBus;
  settings: PluginSettingsStore;
  openapi: OpenAPIRegistry;
  services: ServiceRegistry;
  platform: PlatformFacts;
  rawBodyRoutes: RawBodyRoutes;
  cacheFor(pluginId: string): PluginCache;
  metricsFor(pluginId: string): PluginMetrics;
  /** `ctx.lti`, when the composition root wired the LTI module. */
  lti?: LtiPluginService;
}

export type ContextDeps = PlatformParts & { manifest: PluginManifest };

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
    settings: async <T>(tenantId: string, transaction?: Transaction) => (await deps.settings.read(tenantId, id, transaction)) as T,
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
      get: <N extends ServiceName>(name: N, tenantId: string, transaction?: Transaction) =>
        deps.services.get(name, tenantId, transaction) as Promise<ServiceMap[N] | undefined>,
    },
    platform: deps.platform,
    lti: deps.lti,
  };
}
