import type { Transaction } from '../db/database.js';
import type { Db } from '../db/database.js';
import type { TenantScope } from '../db/tenant-scope.js';
import type { Migration } from '../db/migration-api.js';
import type { ApiRouter } from '../http/api-router.js';
import type { JobHandler, QueueName } from '../jobs/job-types.js';
import type { EventContext } from '../events/event-bus.js';
import type { Principal } from '../auth/principal.js';
import type { Logger } from '../logger.js';
import type { PluginManifest, PluginManifestInput } from './manifest.js';
import type { PluginCache } from './plugin-cache.js';
import type { PluginMetrics } from './plugin-metrics.js';
import type { LtiPluginService } from './plugin-lti.js';
import type { PlatformFacts } from './plugin-platform.js';
import type { ServiceMap, ServiceName } from './plugin-services.js';

/** What a plugin gets: its own router, logger, settings, tables, jobs and events — never the root app. */
export interface PluginContext {
  readonly id: string;
  readonly manifest: PluginManifest;
  readonly log: Logger;
  /** Routes under `/api/v1/plugins/<id>`; answered only for tenants that enabled the plugin. */
  readonly http: ApiRouter;
  readonly db: {
    readonly sequelize: Db;
    /** `notes` → `<id>_notes` (hyphens become underscores). */
    table(name: string): string;
    forTenant(tenantId: string): TenantScope;
    transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  };
  /**
   * The tenant's settings with secrets decrypted: server-side only. Inside a transaction, pass it:
   * a transaction must never wait for a second pool connection.
   */
  settings<T = Record<string, unknown>>(tenantId: string, transaction?: Transaction): Promise<T>;
  readonly jobs: {
    /** Declares `<id>:<name>`; `batch` is for quick database-only jobs (see JobDefinition.batch). */
    define(name: string, handler: JobHandler, options?: { queue?: QueueName; maxAttempts?: number; batch?: boolean }): void;
    enqueue(name: string, payload: unknown, options: { tenantId: string; transaction?: Transaction; delayMs?: number }): Promise<string>;
  };
  readonly events: {
    on(event: string, hook: (payload: unknown, context: EventContext) => Promise<void> | void, options?: { priority?: number }): void;
    onAsync(event: string, handler: (payload: unknown, job: { id: string; tenantId: string | null }, tx: Transaction) => Promise<void>, options?: { batch?: boolean }): void;
    emit(event: string, payload: unknown, context: EventContext): Promise<void>;
  };
  holds(principal: Principal, capability: string): Promise<boolean>;
  /** Short-lived values shared by the plugin's processes (Redis when configured, else in-process). */
  readonly cache: PluginCache;
  /** Counters of the plugin's own, served on `/metrics`. */
  readonly metrics: PluginMetrics;
  /** Synchronous services between plugins, published through core (see ServiceMap). */
  readonly services: {
    /** Publishes `<id>.<service>`; call it in register(). */
    provide<N extends ServiceName>(name: N, implementation: ServiceMap[N]): void;
    /** The service for this tenant, or undefined when its provider is absent or disabled there (pass the transaction you are in). */
    get<N extends ServiceName>(name: N, tenantId: string, transaction?: Transaction): Promise<ServiceMap[N] | undefined>;
  };
  readonly platform: PlatformFacts;
  /** LTI grade posts and launch facts, when the LTI module is composed. */
  readonly lti?: LtiPluginService;
}

export interface OsvPlugin {
  manifest: PluginManifestInput;
  /** Applied in name order in one transaction per install/upgrade; tables must be `<id>_*`. */
  migrations?: Migration[];
  /** Declares routes, jobs and event handlers. No I/O. */
  register(context: PluginContext): void;
  start?(context: PluginContext): Promise<void>;
  stop?(): Promise<void>;
  onUpgrade?(context: PluginContext, fromVersion: string): Promise<void>;
  onUninstall?(context: PluginContext): Promise<void>;
}

export function definePlugin(plugin: OsvPlugin): OsvPlugin {
  return plugin;
}
