import { createHmac } from 'node:crypto';
import type { Kernel } from '../core/kernel.js';
import { LmsEgress } from './egress/lms-egress.js';
import { ContentCatalogue } from './deep-linking/content-catalogue.js';
import { DeepLinkRequests } from './deep-linking/deep-link-requests.js';
import { DeepLinkResponder } from './deep-linking/deep-link-responder.js';
import { IdTokenVerifier } from './launch/id-token-verifier.js';
import { LaunchLog } from './launch/launch-log.js';
import { LaunchRecorder } from './launch/launch-recorder.js';
import { LaunchHandoffs } from './launch/launch-handoffs.js';
import { LoginStateStore } from './launch/login-states.js';
import { StateCookies } from './launch/state-cookie.js';
import { PlatformKeySets } from './keys/platform-keys.js';
import { ToolKeyStore } from './keys/tool-keys.js';
import type { LtiOptions } from './lti-options.js';
import { createLtijsGateway } from './ltijs/ltijs-factory.js';
import type { LtiGateway } from './lti-gateway.js';
import { dynamicRegistrationKey } from './registration/registration-key.js';
import { PlatformResolver } from './registry/platform-resolver.js';
import { RegistrationStore } from './registry/registrations.js';
import { AgsScoreJob } from './services/ags-score-job.js';
import { MaintenanceJob } from './services/maintenance-job.js';
import { RosterSyncJob } from './services/roster-sync-job.js';
import { ToolUrls } from './tool-urls.js';

const LAUNCH_PATH = '/lti/launch';

/** Everything the LTI module is made of, wired once per kernel. */
export interface LtiServices {
  kernel: Kernel;
  options: LtiOptions;
  urls: ToolUrls;
  /** Every server-side call to an LMS goes through it (https, public addresses). */
  egress: LmsEgress;
  resolver: PlatformResolver;
  registrations: RegistrationStore;
  toolKeys: ToolKeyStore;
  platformKeys: PlatformKeySets;
  verifier: IdTokenVerifier;
  loginStates: LoginStateStore;
  handoffs: LaunchHandoffs;
  stateCookies: StateCookies;
  launchLog: LaunchLog;
  recorder: LaunchRecorder;
  catalogue: ContentCatalogue;
  deepLinks: DeepLinkRequests;
  deepLinkResponder: DeepLinkResponder;
  gateway: LtiGateway;
  agsScores: AgsScoreJob;
  rosterSync: RosterSyncJob;
  maintenance: MaintenanceJob;
  /** The secret part of a tenant's dynamic registration URL. */
  registrationKey(tenantId: string): string;
}

export function createLtiServices(kernel: Kernel, options: LtiOptions): LtiServices {
  const { db, secrets, log } = kernel;
  const urls = new ToolUrls(kernel.config.PUBLIC_URL);
  const egress = new LmsEgress({ allowLoopback: options.allowLoopbackLms ?? kernel.config.OSV_LTI_ALLOW_LOOPBACK_HTTP });
  const resolver = new PlatformResolver(db);
  const toolKeys = new ToolKeyStore(db, secrets.encryptionKey);
  const platformKeys = new PlatformKeySets(egress, {
    cooldownMs: options.platformKeyCooldownMs,
    maxAgeMs: options.platformKeyMaxAgeMs,
    timeoutMs: options.serviceTimeoutMs,
  });
  const launchLog = new LaunchLog(db);
  const loginStates = new LoginStateStore(db, options.loginTtlSeconds);
  const handoffs = new LaunchHandoffs(db, options.handoffTtlSeconds);
  const catalogue = new ContentCatalogue(kernel.plugins);
  const deepLinks = new DeepLinkRequests(db);
  const derive = (label: string) => createHmac('sha256', secrets.signingKey).update(label).digest();
  const gateway = createLtijsGateway({
    db,
    encryptionKey: secrets.encryptionKey,
    resolver,
    toolKeys,
    launchPath: LAUNCH_PATH,
    // osv's own check (with clock tolerance) is the binding one; ltijs's only backs it up.
    tokenMaxAgeSeconds: options.idTokenMaxAgeSeconds + options.clockToleranceSeconds,
    serviceTimeoutMs: options.serviceTimeoutMs,
    egress,
    log,
  });
  return {
    kernel,
    options,
    urls,
    resolver,
    egress,
    registrations: new RegistrationStore(db, egress, () => resolver.clear()),
    toolKeys,
    platformKeys,
    verifier: new IdTokenVerifier(platformKeys, { maxAgeSeconds: options.idTokenMaxAgeSeconds, clockToleranceSeconds: options.clockToleranceSeconds }),
    loginStates,
    handoffs,
    stateCookies: new StateCookies(derive('osv-lti-state-cookie')),
    launchLog,
    recorder: new LaunchRecorder({ db, users: kernel.users, jobs: kernel.jobs, rosterSyncAfterLaunchMs: options.rosterSyncAfterLaunchMs }),
    catalogue,
    deepLinks,
    deepLinkResponder: new DeepLinkResponder({ db, requests: deepLinks, catalogue, gateway, launchLog, urls, tenants: kernel.tenants }),
    gateway,
    agsScores: new AgsScoreJob({ db, users: kernel.users, gateway, launchLog, log }),
    rosterSync: new RosterSyncJob({ db, users: kernel.users, events: kernel.events, gateway, launchLog, log }),
    maintenance: new MaintenanceJob({
      db,
      jobs: kernel.jobs,
      tenants: kernel.tenants,
      loginStates,
      handoffs,
      rosterSyncIntervalMs: options.rosterSyncIntervalMs,
      intervalMs: options.maintenanceIntervalMs,
    }),
    registrationKey: (tenantId) => dynamicRegistrationKey(secrets.signingKey, tenantId),
  };
}
