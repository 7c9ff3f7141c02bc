import type { CommandContext } from '../../core/cli/command-context.js';
import { JobQueue } from '../../core/jobs/outbox.js';
import { JobRegistry } from '../../core/jobs/job-registry.js';
import { LmsEgress } from '../egress/lms-egress.js';
import { LaunchHandoffs } from '../launch/launch-handoffs.js';
import { LaunchLog } from '../launch/launch-log.js';
import { LoginStateStore } from '../launch/login-states.js';
import { ToolKeyStore } from '../keys/tool-keys.js';
import { defaultLtiOptions } from '../lti-options.js';
import type { LtiServices } from '../lti-services.js';
import { dynamicRegistrationKey } from '../registration/registration-key.js';
import { RegistrationStore } from '../registry/registrations.js';
import { MaintenanceJob } from '../services/maintenance-job.js';
import { ROSTER_SYNC_JOB, ROSTER_SYNC_JOB_OPTIONS } from '../services/roster-sync-job.js';
import { ToolUrls } from '../tool-urls.js';

/** The parts of the LTI module `osv lti …` uses, on a command's database connection (no ltijs, no HTTP). */
export interface LtiCommandServices extends Pick<LtiServices, 'options' | 'urls' | 'registrations' | 'toolKeys' | 'launchLog' | 'registrationKey' | 'maintenance'> {
  context: CommandContext;
  jobs: JobQueue;
}

export function ltiCommandServices(context: CommandContext): LtiCommandServices {
  const { db, secrets, tenants } = context;
  const options = defaultLtiOptions;
  // Jobs are only queued here; the server's dispatcher picks them up.
  const registry = new JobRegistry();
  registry.define({ name: ROSTER_SYNC_JOB, ...ROSTER_SYNC_JOB_OPTIONS, handler: () => Promise.reject(new Error('runs in the server')) });
  const jobs = new JobQueue({ db, registry, nudge: () => undefined });
  return {
    context,
    options,
    jobs,
    urls: new ToolUrls(context.config.PUBLIC_URL),
    // The server's cache of registrations expires by itself.
    registrations: new RegistrationStore(db, new LmsEgress({ allowLoopback: context.config.OSV_LTI_ALLOW_LOOPBACK_HTTP }), () => undefined),
    toolKeys: new ToolKeyStore(db, secrets.encryptionKey),
    launchLog: new LaunchLog(db),
    registrationKey: (tenantId) => dynamicRegistrationKey(secrets.signingKey, tenantId),
    maintenance: new MaintenanceJob({
      db,
      jobs,
      tenants,
      loginStates: new LoginStateStore(db, options.loginTtlSeconds),
      handoffs: new LaunchHandoffs(db, options.handoffTtlSeconds),
      rosterSyncIntervalMs: options.rosterSyncIntervalMs,
      intervalMs: options.maintenanceIntervalMs,
    }),
  };
}
