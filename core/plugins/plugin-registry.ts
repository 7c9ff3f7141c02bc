import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler, Router } from 'express';
import semver from 'semver';
import type { CapabilityRegistry } from '../auth/capabilities.js';
import type { Db, Transaction } from '../db/database.js';
import { execute, selectRows } from '../db/database.js';
import { migrateDownAll, migrateUp } from '../db/migrator.js';
import { OsvError } from '../errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobRegistry } from '../jobs/job-registry.js';
import type { JobQueue } from '../jobs/outbox.js';
import type { Logger } from '../logger.js';
import { TtlCache } from '../ttl-cache.js';
import { orderPlugins } from './dependency-order.js';
import { type PluginManifest, pluginTablePrefix } from './manifest.js';
import { createPluginContext } from './plugin-context.js';
import type { PluginCandidate } from './plugin-loader.js';
import type { PluginSettingsStore } from './plugin-settings.js';
import type { PluginMetrics } from './plugin-metrics.js';
import type { PluginCache } from './plugin-cache.js';
import type { PlatformFacts } from './plugin-platform.js';
import type { ServiceRegistry } from './plugin-services.js';
import type { RawBodyRoutes } from '../http/raw-body.js';
import type { OsvPlugin, PluginContext } from './plugin-types.js';
import type { LtiPluginService } from './plugin-lti.js';

export type PluginState = 'discovered' | 'installed' | 'failed' | 'refused';

export interface PluginStatus {
  id: string;
  name: string;
  source: string;
  state: PluginState;
  /** Version of the code present. */
  version: string | null;
  /** Version recorded as installed in the database. */
  installedVersion: string | null;
  error: string | null;
  capabilities: string[];
}

interface Loaded {
  candidate: PluginCandidate;
  plugin: OsvPlugin;
  manifest: PluginManifest;
  context?: PluginContext;
  started: boolean;
  /** Why the last install, upgrade or start failed. */
  error?: string;
}

interface InstalledRow {
  id: string;
  version: string;
  source: string;
  state: 'installed' | 'failed';
  last_error: string | null;
}

export interface RegistryDeps {
  db: Db;
  log: Logger;
  capabilities: CapabilityRegistry;
  jobRegistry: JobRegistry;
  jobs: JobQueue;
  events: EventBus;
  settings: PluginSettingsStore;
  openapi: OpenAPIRegistry;
  coreVersion: string;
  services: ServiceRegistry;
  platform: PlatformFacts;
  rawBodyRoutes: RawBodyRoutes;
  cacheFor(pluginId: string): PluginCache;
  metricsFor(pluginId: string): PluginMetrics;
  /** A tenant's id from its slug or id (throws OSV_ERR_TENANT_NOT_FOUND). */
  tenantIdOf(slugOrId: string): Promise<string>;
  /** `ctx.lti`, when the composition root wired the LTI module. */
  lti?: LtiPluginService;
}

/**
 * Owns every plugin's lifecycle: discovered → installed (migrations under the advisory lock) →
 * enabled/disabled per tenant → upgraded → uninstalled. A refused or failing plugin is reported
 * and skipped; the rest of the platform keeps running.
 */
export class PluginRegistry {
  private readonly loaded = new Map<string, Loaded>();
  private readonly refused: PluginCandidate[] = [];
  private readonly enabledByTenant = new TtlCache<string, Set<string>>(5_000);

  constructor(private readonly deps: RegistryDeps) {}

  /** Validates, orders and records the plugins present; installs or upgrades those asked to. */
  async boot(candidates: PluginCandidate[], options: { autoInstall: (candidate: PluginCandidate) => boolean }): Promise<void> {
    const ordered = orderPlugins(candidates, this.deps.coreVersion);
    for (const candidate of candidates) {
      if (candidate.refusal) {
        this.refused.push(candidate);
        this.deps.log.error({ plugin: reportedId(candidate), reason: candidate.refusal }, 'plugin refused');
      }
    }
    const rows = new Map((await this.installedRows()).map((row) => [row.id, row]));
    for (const candidate of ordered) {
      const manifest = candidate.manifest!;
      this.loaded.set(manifest.id, { candidate, plugin: candidate.plugin!, manifest, started: false });
      const row = rows.get(manifest.id);
      try {
        if (row) refuseDowngrade(manifest, row);
        if (row?.state === 'installed' && semver.gt(manifest.version, row.version)) await this.upgrade(manifest.id);
        else if (row?.state === 'installed') await this.activate(manifest.id);
        // Not install(): another process booting at the same moment may have just installed it, which is fine.
        else if (!row && options.autoInstall(candidate)) await this.installEntry(this.require(manifest.id));
      } catch (error) {
        this.loaded.get(manifest.id)!.error = (error as Error).message;
        this.deps.log.error({ plugin: manifest.id, err: error }, 'plugin failed to start');
      }
    }
  }

  async install(id: string): Promise<PluginStatus> {
    const entry = this.require(id);
    const row = (await this.installedRows()).find((installed) => installed.id === id);
    if (row?.state === 'installed') throw new OsvError('OSV_ERR_PLUGIN_STATE', `Plugin ${id} is already installed`);
    await this.installEntry(entry);
    return this.status(id);
  }

  /** Dependencies first; applying migrations is idempotent under the lock, so concurrent installs agree. */
  private async installEntry(entry: Loaded): Promise<void> {
    const { id } = entry.manifest;
    for (const dependencyId of Object.keys(entry.manifest.dependsOn)) {
      if (!this.loaded.get(dependencyId)?.started) {
        throw new OsvError('OSV_ERR_PLUGIN_STATE', `Plugin ${id} needs ${dependencyId} installed first`);
      }
    }
    await this.migrateAndRecord(entry);
    await this.activate(id);
  }

  async upgrade(id: string): Promise<PluginStatus> {
    const entry = this.require(id);
    const row = (await this.installedRows()).find((installed) => installed.id === id);
    if (!row) throw new OsvError('OSV_ERR_PLUGIN_STATE', `Plugin ${id} is not installed`);
    refuseDowngrade(entry.manifest, row);
    await this.migrateAndRecord(entry);
    await this.activate(id);
    if (semver.gt(entry.manifest.version, row.version)) {
      await entry.plugin.onUpgrade?.(entry.context!, row.version);
      this.deps.log.info({ plugin: id, from: row.version, to: entry.manifest.version }, 'plugin upgraded');
    }
    return this.status(id);
  }

  /** Explicit and total: the plugin's hook, its migrations reverted, its tables, settings and grants dropped. */
  async uninstall(id: string): Promise<PluginStatus> {
    const entry = this.require(id);
    const dependents = [...this.loaded.values()].filter((other) => other.started && id in other.manifest.dependsOn);
    if (dependents.length > 0) {
      throw new OsvError('OSV_ERR_PLUGIN_STATE', `Uninstall ${dependents.map((d) => d.manifest.id).join(', ')} first: they depend on ${id}`);
    }
    const row = (await this.installedRows()).find((installed) => installed.id === id);
    if (!row && !entry.started) throw new OsvError('OSV_ERR_PLUGIN_STATE', `Plugin ${id} is not installed`);
    const context = entry.context ?? this.contextFor(entry);
    const wasRunning = entry.started;
    await this.deactivate(entry);
    await entry.plugin.onUninstall?.(context);
    // A migration without a down step just loses its ledger row: the plugin's tables are dropped anyway.
    const migrations = (entry.plugin.migrations ?? []).map((migration) => ({ ...migration, down: migration.down ?? (async () => undefined) }));
    try {
      // One transaction: either the plugin is entirely gone or nothing was removed.
      await migrateDownAll(this.deps.db, { unit: id, migrations }, this.deps.log, {
        beforeCommit: async (tx) => {
          const owned = await selectRows<{ table_name: string }>(this.deps.db, 'SELECT table_name FROM plugin_tables WHERE plugin_id = $1', [id], tx);
          for (const { table_name } of owned) await execute(this.deps.db, `DROP TABLE IF EXISTS "${table_name}" CASCADE`, [], tx);
          await execute(this.deps.db, `DELETE FROM capability_grants WHERE capability LIKE $1`, [`${id}:%`], tx);
          await execute(this.deps.db, `DELETE FROM outbox WHERE name LIKE $1 AND status IN ('pending', 'dispatched')`, [`${id}:%`], tx);
          await execute(this.deps.db, 'DELETE FROM plugins WHERE id = $1', [id], tx);
        },
      });
    } catch (error) {
      if (wasRunning) await this.activate(id).catch(() => undefined);
      throw new OsvError('OSV_ERR_PLUGIN_STATE', `Plugin ${id} could not be uninstalled, nothing was removed: ${(error as Error).message}`);
    }
    this.enabledByTenant.clear();
    this.deps.log.info({ plugin: id }, 'plugin uninstalled');
    return this.status(id);
  }

  async setEnabled(tenantId: string, id: string, enabled: boolean): Promise<void> {
    const entry = this.require(id);
    if (!entry.started) throw new OsvError('OSV_ERR_PLUGIN_STATE', `Plugin ${id} is not installed`);
    if (enabled) {
      for (const dependencyId of Object.keys(entry.manifest.dependsOn)) {
        if (!(await this.isEnabled(tenantId, dependencyId))) {
          throw new OsvError('OSV_ERR_PLUGIN_STATE', `Enable ${dependencyId} first: ${id} depends on it`);
        }
      }
    }
    await execute(
      this.deps.db,
      `INSERT INTO tenant_plugins (tenant_id, plugin_id, enabled) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, plugin_id) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`,
      [tenantId, id, enabled],
    );
    this.enabledByTenant.delete(tenantId);
  }

  /**
   * Inside a transaction, pass it: a lookup on a second pool connection while the caller holds one
   * can exhaust the pool under load and deadlock.
   */
  isEnabled = async (tenantId: string, pluginId: string, transaction?: Transaction): Promise<boolean> => {
    const enabled = await this.enabledByTenant.get(tenantId, async () => {
      const rows = await selectRows<{ plugin_id: string }>(
        this.deps.db,
        `SELECT tp.plugin_id FROM tenant_plugins tp JOIN plugins p ON p.id = tp.plugin_id
         WHERE tp.tenant_id = $1 AND tp.enabled AND p.state = 'installed'`,
        [tenantId],
        transaction,
      );
      return new Set(rows.map((row) => row.plugin_id));
    });
    return enabled.has(pluginId) && this.loaded.get(pluginId)?.started === true;
  };

  manifest(id: string): PluginManifest {
    return this.require(id).manifest;
  }

  async list(): Promise<PluginStatus[]> {
    const rows = new Map((await this.installedRows()).map((row) => [row.id, row]));
    const statuses = [...this.loaded.values()].map((entry) => this.describe(entry, rows.get(entry.manifest.id)));
    const refused = this.refused.map(
      (candidate): PluginStatus => ({
        id: reportedId(candidate),
        name: candidate.manifest?.name ?? reportedId(candidate),
        source: candidate.source,
        state: 'refused',
        version: candidate.manifest?.version ?? null,
        installedVersion: candidate.manifest ? (rows.get(candidate.manifest.id)?.version ?? null) : null,
        error: candidate.refusal ?? null,
        capabilities: [],
      }),
    );
    return [...statuses, ...refused].sort((a, b) => a.id.localeCompare(b.id));
  }

  async status(id: string): Promise<PluginStatus> {
    const found = (await this.list()).find((status) => status.id === id);
    if (!found) throw new OsvError('OSV_ERR_PLUGIN_NOT_FOUND', `No plugin ${id}`);
    return found;
  }

  /**
   * Mounted at `/api/v1/plugins/:pluginId`: 404 unless the plugin runs and the caller's tenant enabled
   * it. A caller without credentials (a payment provider's webhook) names its tenant with
   * `?tenant=<slug or id>`; only the plugin's `public` routes answer it.
   */
  routes(): RequestHandler {
    return async (req, res, next) => {
      const id = String(req.params.pluginId);
      const entry = this.loaded.get(id);
      if (!entry?.started || !entry.context) throw new OsvError('OSV_ERR_PLUGIN_NOT_FOUND', `No plugin ${id}`);
      const named = (req.query as Record<string, unknown>).tenant;
      if (!req.principal && typeof named === 'string' && named !== '') {
        req.namedTenantId = await this.deps.tenantIdOf(named);
      }
      const tenantId = req.principal?.tenantId ?? req.namedTenantId;
      if (!tenantId) throw new OsvError('OSV_ERR_UNAUTHENTICATED');
      if (!(await this.isEnabled(tenantId, id))) {
        throw new OsvError('OSV_ERR_PLUGIN_DISABLED', `Plugin ${id} is not enabled for this tenant`);
      }
      (entry.context.http.router as Router)(req, res, next);
    };
  }

  async stopAll(): Promise<void> {
    for (const entry of [...this.loaded.values()].reverse()) {
      if (entry.started) await this.deactivate(entry);
    }
  }

  /**
   * Applies the pending migrations and records the installed version and the tables created, all in
   * the one migration transaction: a batch that fails, or creates a table outside `<id>_*`, leaves
   * nothing behind (and earlier versions' tables and data are untouched).
   */
  private async migrateAndRecord(entry: Loaded): Promise<void> {
    const { id, version } = entry.manifest;
    const prefix = pluginTablePrefix(id);
    try {
      await migrateUp(this.deps.db, { unit: id, migrations: entry.plugin.migrations ?? [] }, this.deps.log, {
        beforeCommit: async (outcome, tx) => {
          const foreign = outcome.createdTables.filter((table) => !table.startsWith(prefix));
          if (foreign.length > 0) throw new Error(`migrations created tables outside the ${prefix}* namespace: ${foreign.join(', ')}`);
          await execute(
            this.deps.db,
            `INSERT INTO plugins (id, version, source, state, last_error) VALUES ($1, $2, $3, 'installed', NULL)
             ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, source = EXCLUDED.source, state = 'installed',
               last_error = NULL, updated_at = now()`,
            [id, version, entry.candidate.source],
            tx,
          );
          for (const table of outcome.createdTables) {
            await execute(this.deps.db, 'INSERT INTO plugin_tables (table_name, plugin_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [table, id], tx);
          }
        },
      });
    } catch (error) {
      const message = `migration failed: ${(error as Error).message}`;
      await execute(
        this.deps.db,
        `INSERT INTO plugins (id, version, source, state, last_error) VALUES ($1, $2, $3, 'failed', $4)
         ON CONFLICT (id) DO UPDATE SET state = CASE WHEN plugins.state = 'installed' THEN 'installed' ELSE 'failed' END,
           last_error = EXCLUDED.last_error, updated_at = now()`,
        [id, version, entry.candidate.source, message],
      );
      throw new OsvError('OSV_ERR_PLUGIN_REFUSED', `Plugin ${id}: ${message}`);
    }
  }

  /** register → start, with a fresh scoped context. */
  private async activate(id: string): Promise<void> {
    const entry = this.require(id);
    if (entry.started) return;
    for (const [name, capability] of Object.entries(entry.manifest.capabilities)) {
      this.deps.capabilities.define({ name, ...capability });
    }
    const context = this.contextFor(entry);
    try {
      entry.plugin.register(context);
      await entry.plugin.start?.(context);
    } catch (error) {
      this.deps.jobRegistry.removeOwnedBy(id);
      this.deps.events.removeOwnedBy(id);
      this.deps.services.removeOwnedBy(id);
      entry.error = `Plugin ${id} failed to start: ${(error as Error).message}`;
      throw new OsvError('OSV_ERR_PLUGIN_REFUSED', entry.error);
    }
    entry.context = context;
    entry.started = true;
    entry.error = undefined;
    this.enabledByTenant.clear();
  }

  private async deactivate(entry: Loaded): Promise<void> {
    entry.started = false;
    await entry.plugin.stop?.().catch((error) => this.deps.log.error({ plugin: entry.manifest.id, err: error }, 'plugin stop failed'));
    this.deps.jobRegistry.removeOwnedBy(entry.manifest.id);
    this.deps.events.removeOwnedBy(entry.manifest.id);
    this.deps.services.removeOwnedBy(entry.manifest.id);
    entry.context = undefined;
  }

  private contextFor(entry: Loaded): PluginContext {
    return createPluginContext({ ...this.deps, manifest: entry.manifest });
  }

  private require(id: string): Loaded {
    const entry = this.loaded.get(id);
    if (!entry) {
      const refused = this.refused.find((candidate) => reportedId(candidate) === id);
      if (refused) throw new OsvError('OSV_ERR_PLUGIN_REFUSED', `Plugin ${id} was refused: ${refused.refusal}`);
      throw new OsvError('OSV_ERR_PLUGIN_NOT_FOUND', `No plugin ${id}`);
    }
    return entry;
  }

  private installedRows(): Promise<InstalledRow[]> {
    return selectRows<InstalledRow>(this.deps.db, 'SELECT id, version, source, state, last_error FROM plugins');
  }

  private describe(entry: Loaded, row: InstalledRow | undefined): PluginStatus {
    const state: PluginState = entry.started ? 'installed' : row || entry.error ? 'failed' : 'discovered';
    return {
      id: entry.manifest.id,
      name: entry.manifest.name,
      source: entry.candidate.source,
      state,
      version: entry.manifest.version,
      installedVersion: row?.state === 'installed' ? row.version : null,
      error: entry.started ? null : (entry.error ?? row?.last_error ?? null),
      capabilities: Object.keys(entry.manifest.capabilities),
    };
  }
}

function refuseDowngrade(manifest: PluginManifest, row: InstalledRow): void {
  if (semver.lt(manifest.version, row.version)) {
    throw new OsvError('OSV_ERR_PLUGIN_STATE', `installed version ${row.version} is newer than the code's ${manifest.version}; downgrades are refused`);
  }
}

/**
 * The id a refused plugin is reported under: the id its manifest declares, even when the manifest
 * is invalid (so several refused plugins from one source stay distinguishable), else its source.
 */
function reportedId(candidate: PluginCandidate): string {
  if (candidate.manifest) return candidate.manifest.id;
  const declared = (candidate.plugin?.manifest as { id?: unknown } | undefined)?.id;
  return typeof declared === 'string' && declared !== '' ? declared : candidate.source;
}
