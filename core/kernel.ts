import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { coreMigrations } from '../migrations/index.js';
import { AccessTokens } from './auth/access-tokens.js';
import { CapabilityRegistry } from './auth/capabilities.js';
import { PublishableKeyService } from './auth/publishable-keys.js';
import { CredentialService } from './auth/credentials.js';
import type { Config } from './config.js';
import { connectDatabase, type Db, type Transaction, verifyConnection } from './db/database.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded-postgres.js';
import { type MigrationUnit, migrateUp } from './db/migrator.js';
import { EventBus } from './events/event-bus.js';
import { Metrics } from './http/metrics.js';
import { pluginMetrics } from './plugins/plugin-metrics.js';
import { BullmqTransport } from './jobs/bullmq-transport.js';
import { DeadLetterService } from './jobs/dead-letters.js';
import { OutboxDispatcher } from './jobs/dispatcher.js';
import { JobRegistry } from './jobs/job-registry.js';
import { DEFAULT_BACKOFF_MS, JobRunner } from './jobs/job-runner.js';
import { OUTBOX_PURGE_INTERVAL_MS, OUTBOX_PURGE_JOB, outboxPurgeJob } from './jobs/outbox-retention.js';
import { ensureScheduled } from './jobs/recurring-job.js';
import { JobQueue } from './jobs/outbox.js';
import { createLogger, type Logger } from './logger.js';
import { RedisConnections } from './redis/redis-connections.js';
import { inspectPlugin, loadNpmPlugin, type PluginCandidate } from './plugins/plugin-loader.js';
import { PluginRegistry } from './plugins/plugin-registry.js';
import { PluginSettingsStore } from './plugins/plugin-settings.js';
import { pluginCache } from './plugins/plugin-cache.js';
import { modelSettings, platformFacts, providerEndpoints } from './plugins/plugin-platform.js';
import { ServiceRegistry } from './plugins/plugin-services.js';
import { RawBodyRoutes } from './http/raw-body.js';
import type { OsvPlugin } from './plugins/plugin-types.js';
import { loadPlatformSecrets, type PlatformSecrets } from './secrets.js';
import { TenantService } from './tenancy/tenants.js';
import { UserService } from './tenancy/users.js';
import { CORE_VERSION } from './version.js';
import type { LtiPluginService } from './plugins/plugin-lti.js';

export interface KernelOptions {
  config: Config;
  /** First-party plugins, from the composition root. */
  plugins: OsvPlugin[];
  /** Schema units of modules wired by the composition root (e.g. `lti`), applied after core's. */
  moduleMigrations?: MigrationUnit[];
  /** Modules wired by the composition root (e.g. `lti`): started before plugins boot, stopped before the pools close. */
  modules?: KernelModule[];
  /** Services those modules offer plugins through their context (`ctx.lti`). */
  pluginServices?: { lti?: LtiPluginService };
  log?: Logger;
  /** Run queue workers (or inline jobs) in this process. */
  runWorkers?: boolean;
  /** Install first-party plugins that are not installed yet (the default for `serve`). */
  autoInstall?: boolean;
  /** Tuning for tests: how long a crashed BullMQ worker's job stays locked. */
  jobLockMs?: number;
  pollIntervalMs?: number;
  /** Tuning for tests: the first retry delay of a failed job (doubling per attempt); 1 s by default. */
  jobBackoffMs?: number;
}

/** A module the composition root adds to the kernel; core knows it only through this shape. */
export interface KernelModule {
  readonly name: string;
  /** Runs after migrations and before plugins boot or jobs run: define jobs and capabilities here. */
  start(kernel: Kernel): Promise<void>;
  /** Runs once jobs have drained, before the database pools close. */
  stop?(): Promise<void>;
}

/** The running platform: database, migrations, plugins, jobs. HTTP is layered on top (core/http/app.ts). */
export class Kernel {
  private closed = false;
  private modules: KernelModule[] = [];

  private constructor(
    readonly config: Config,
    readonly log: Logger,
    readonly db: Db,
    private readonly jobDb: Db,
    readonly secrets: PlatformSecrets,
    readonly redis: RedisConnections | undefined,
    private readonly embedded: EmbeddedDatabase | undefined,
    readonly metrics: Metrics,
    readonly openapi: OpenAPIRegistry,
    readonly capabilities: CapabilityRegistry,
    readonly tenants: TenantService,
    readonly credentials: CredentialService,
    readonly users: UserService,
    readonly accessTokens: AccessTokens,
    readonly publishableKeys: PublishableKeyService,
    readonly jobRegistry: JobRegistry,
    readonly jobs: JobQueue,
    readonly deadLetters: DeadLetterService,
    readonly events: EventBus,
    readonly plugins: PluginRegistry,
    readonly pluginSettings: PluginSettingsStore,
    readonly dispatcher: OutboxDispatcher,
    readonly transport: BullmqTransport | undefined,
    readonly rawBodyRoutes: RawBodyRoutes,
  ) {}

  static async start(options: KernelOptions): Promise<Kernel> {
    const { config } = options;
    const log = options.log ?? createLogger(config.LOG_LEVEL);
    const secrets = await loadPlatformSecrets(config);
    const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.OSV_DATA_DIR, config.OSV_EMBEDDED_PG_PORT, log);
    const databaseUrl = config.DATABASE_URL ?? embedded!.url;
    const pool = { poolMax: config.DATABASE_POOL_MAX, acquireTimeoutMs: config.DATABASE_POOL_ACQUIRE_TIMEOUT_MS };
    const db = connectDatabase(databaseUrl, pool, log);
    const jobDb = connectDatabase(databaseUrl, { ...pool, asyncCommit: true }, log);
    try {
      await verifyConnection(db, databaseUrl, config.DATABASE_URL ? 'DATABASE_URL' : 'the embedded PostgreSQL');
      await migrateUp(db, { unit: 'core', migrations: coreMigrations }, log);
      for (const unit of options.moduleMigrations ?? []) await migrateUp(db, unit, log);
    } catch (error) {
      await Promise.all([db.close(), jobDb.close()]);
      await embedded?.stop();
      throw error;
    }
    const redis = config.REDIS_URL ? new RedisConnections(config.REDIS_URL, log) : undefined;

    const metrics = new Metrics();
    const openapi = new OpenAPIRegistry();
    openapi.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'sk_… API key or ses_… session token' });
    const capabilities = new CapabilityRegistry(db);
    const jobRegistry = new JobRegistry();
    let dispatcher: OutboxDispatcher | undefined;
    const jobs = new JobQueue({ db, registry: jobRegistry, nudge: () => dispatcher?.nudge() });
    jobRegistry.define({
      name: OUTBOX_PURGE_JOB,
      handler: outboxPurgeJob({ db, jobs, retentionHours: config.OSV_OUTBOX_RETENTION_HOURS }),
      queue: 'low',
      maxAttempts: 3,
    });
    let plugins: PluginRegistry | undefined;
    const isPluginEnabled = (tenantId: string, pluginId: string, transaction?: Transaction) =>
      plugins!.isEnabled(tenantId, pluginId, transaction);
    const events = new EventBus({ jobs, jobRegistry, isPluginEnabled });
    const settings = new PluginSettingsStore(db, secrets.encryptionKey);
    const tenants = new TenantService(db);
    const users = new UserService(db);
    const publishableKeys = new PublishableKeyService(db);
    const rawBodyRoutes = new RawBodyRoutes();
    plugins = new PluginRegistry({
      db,
      log,
      capabilities,
      jobRegistry,
      jobs,
      events,
      settings,
      openapi,
      coreVersion: CORE_VERSION,
      services: new ServiceRegistry(isPluginEnabled),
      platform: platformFacts({ publicUrl: config.PUBLIC_URL, models: modelSettings(config), providers: providerEndpoints(config), publishableKeys, users }),
      rawBodyRoutes,
      cacheFor: (pluginId) => pluginCache({ redis: redis?.commands, keyPrefix: config.OSV_QUEUE_PREFIX, pluginId }),
      metricsFor: (pluginId) => pluginMetrics(metrics.registry, pluginId),
      tenantIdOf: async (slugOrId) => (await tenants.get(slugOrId)).id,
      lti: options.pluginServices?.lti,
    });

    const backoffMs = options.jobBackoffMs ?? DEFAULT_BACKOFF_MS;
    const runner = new JobRunner({
      db,
      jobDb,
      registry: jobRegistry,
      isPluginEnabled,
      metrics,
      log,
      countsAttemptsUpfront: !redis,
      backoffMs,
      onRetryScheduled: (delayMs) => dispatcher?.wakeIn(delayMs),
    });
    const transport = redis
      ? new BullmqTransport({
          connections: redis,
          prefix: config.OSV_QUEUE_PREFIX,
          lockDurationMs: options.jobLockMs ?? 30_000,
          backoffMs,
          // Batch jobs form bigger batches with more slots; isolated jobs still queue for the job pool's connections.
          concurrency: { emails: 8, default: 32, low: 4 },
          log,
        })
      : undefined;
    const runWorkers = options.runWorkers ?? config.OSV_RUN_WORKERS;
    dispatcher = new OutboxDispatcher({
      db,
      runner,
      transport,
      runInline: runWorkers,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      inlineConcurrency: 8,
      log,
    });

    const kernel = new Kernel(
      config,
      log,
      db,
      jobDb,
      secrets,
      redis,
      embedded,
      metrics,
      openapi,
      capabilities,
      tenants,
      new CredentialService(db, metrics.passwordChecks),
      users,
      new AccessTokens(secrets.signingKey, config.PUBLIC_URL),
      publishableKeys,
      jobRegistry,
      jobs,
      new DeadLetterService({ db, jobs }),
      events,
      plugins,
      settings,
      dispatcher,
      transport,
      rawBodyRoutes,
    );
    try {
      for (const module of options.modules ?? []) {
        await module.start(kernel);
        kernel.modules.push(module);
      }
    } catch (error) {
      await kernel.shutdown();
      throw error;
    }
    const candidates: PluginCandidate[] = [
      ...options.plugins.map((plugin) => inspectPlugin('first-party', plugin)),
      ...(await Promise.all(config.OSV_PLUGINS.map(loadNpmPlugin))),
    ];
    await plugins.boot(candidates, { autoInstall: (candidate) => (options.autoInstall ?? true) && candidate.source === 'first-party' });
    if (runWorkers) await ensureScheduled(kernel, OUTBOX_PURGE_JOB, OUTBOX_PURGE_INTERVAL_MS);
    if (transport && runWorkers) transport.startWorkers(runner);
    dispatcher.start();
    return kernel;
  }

  /** Stops taking jobs, lets running ones finish (until the deadline), then closes every pool. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Redis is away: nothing can be handed back to it, and closing its clients would wait for it.
    if (this.redis && !this.redis.available) this.redis.disconnect();
    const deadline = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.config.OSV_SHUTDOWN_TIMEOUT_MS).unref());
    const drained = await Promise.race([
      (async () => {
        await this.dispatcher.stop();
        await this.transport?.closeWorkers();
        return 'drained' as const;
      })(),
      deadline,
    ]);
    if (drained === 'timeout') {
      this.log.warn('shutdown deadline reached; unfinished jobs are handed back to the queue');
      await this.transport?.closeWorkers(true);
    }
    await this.plugins.stopAll();
    for (const module of [...this.modules].reverse()) {
      await module.stop?.().catch((error: unknown) => this.log.error({ err: error, module: module.name }, 'module stop failed'));
    }
    await this.transport?.close();
    this.redis?.disconnect();
    await Promise.all([this.db.close(), this.jobDb.close()]);
    await this.embedded?.stop();
  }
}
