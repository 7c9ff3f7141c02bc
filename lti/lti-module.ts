import type { Router } from 'express';
import type { MigrationUnit } from '../core/db/migrator.js';
import type { AppExtensions } from '../core/http/app.js';
import type { Kernel, KernelModule } from '../core/kernel.js';
import { ltiApiRoutes } from './http/api-routes.js';
import { ltiRouter } from './http/lti-router.js';
import { defaultLtiOptions, type LtiOptions } from './lti-options.js';
import { createLtiServices, type LtiServices } from './lti-services.js';
import { ltiMigrations } from './migrations/index.js';
import { AGS_SCORE_ATTEMPTS, AGS_SCORE_JOB } from './services/ags-score-job.js';
import { MAINTENANCE_JOB } from './services/maintenance-job.js';
import { MEMBERSHIP_EVENT_JOB, membershipEventJob } from './services/membership-event-job.js';
import { PluginLtiService } from './services/plugin-service.js';
import { ROSTER_SYNC_JOB, ROSTER_SYNC_JOB_OPTIONS } from './services/roster-sync-job.js';

/** The LTI 1.3 tool as the composition root (server/platform.ts) plugs it into a kernel and an app. */
export interface LtiModule extends KernelModule {
  readonly migrations: MigrationUnit;
  /** `ctx.lti` for plugins; usable once the module has started. */
  readonly pluginService: PluginLtiService;
  /** The module's parts, once started (CLI commands and tests use them). */
  readonly services: LtiServices;
  /** Its pages (/lti/…) and its JSON API (/api/v1/lti/…). */
  appExtensions(): Required<AppExtensions>;
}

export function createLtiModule(overrides: Partial<LtiOptions> = {}): LtiModule {
  const options: LtiOptions = { ...defaultLtiOptions, ...overrides };
  const pluginService = new PluginLtiService();
  let services: LtiServices | undefined;
  let router: Router | undefined;
  let api: Router | undefined;
  const started = () => {
    if (!services) throw new Error('The LTI module has not started');
    return services;
  };

  return {
    name: 'lti',
    migrations: ltiMigrations,
    pluginService,
    get services() {
      return started();
    },

    async start(kernel: Kernel): Promise<void> {
      const wired = createLtiServices(kernel, options);
      await wired.toolKeys.verifyEncryptionKey();
      // ltijs-sequelize creates and migrates its tables without a lock: processes starting
      // together (app and worker) take turns.
      await kernel.db.transaction(async (tx) => {
        await kernel.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', { bind: ['osv.lti.ltijs-setup'], transaction: tx });
        await wired.gateway.start();
      });
      kernel.jobRegistry.define({ name: AGS_SCORE_JOB, handler: wired.agsScores.handle, maxAttempts: AGS_SCORE_ATTEMPTS });
      kernel.jobRegistry.define({ name: ROSTER_SYNC_JOB, handler: wired.rosterSync.handle, ...ROSTER_SYNC_JOB_OPTIONS });
      kernel.jobRegistry.define({ name: MAINTENANCE_JOB, handler: wired.maintenance.handle, queue: 'low', maxAttempts: 3 });
      kernel.jobRegistry.define({ name: MEMBERSHIP_EVENT_JOB, handler: membershipEventJob(kernel.events), batch: true });
      await wired.maintenance.ensureScheduled();
      pluginService.bind(kernel);
      services = wired;
    },

    async stop(): Promise<void> {
      await services?.gateway.stop();
    },

    appExtensions() {
      const wired = started();
      router ??= ltiRouter(wired);
      api ??= ltiApiRoutes(wired).router;
      return { routers: [router], apiRouters: [{ path: '/api/v1/lti', router: api }] };
    },
  };
}
