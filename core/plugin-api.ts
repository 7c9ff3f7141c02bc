/** The one module plugins import from core. */
export { definePlugin } from './plugins/plugin-types.js';
export type { OsvPlugin, PluginContext } from './plugins/plugin-types.js';
export type { PluginManifest, PluginManifestInput } from './plugins/manifest.js';
export { defineMigration } from './db/migration-api.js';
export type { Migration, MigrationContext } from './db/migration-api.js';
export type { Transaction } from './db/database.js';
export type { TenantScope } from './db/tenant-scope.js';
export type { JobRecord, JobHandler, QueueName } from './jobs/job-types.js';
export type { EventMap, EventContext } from './events/event-bus.js';
export type { Principal, Role } from './auth/principal.js';
export { OsvError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { ServiceMap } from './plugins/plugin-services.js';
export type { PluginCache } from './plugins/plugin-cache.js';
export type { PluginCounter, PluginMetrics } from './plugins/plugin-metrics.js';
export type { ModelSettings, PlatformFacts, PlatformUser, ProviderEndpoints } from './plugins/plugin-platform.js';
export type { LtiPluginService, LtiScoreSubmission } from './plugins/plugin-lti.js';
export type { Logger } from './logger.js';
