/** Tunables of the LTI module; the defaults are what production runs with. */
export interface LtiOptions {
  /** Seconds an id_token may be old (by its `iat`) when it reaches osv. */
  idTokenMaxAgeSeconds: number;
  /** Clock difference tolerated between the LMS and osv, in seconds. */
  clockToleranceSeconds: number;
  /** How long a login may wait for its launch. */
  loginTtlSeconds: number;
  /** After fetching a platform's JWKS, how long an unknown `kid` is refused without refetching. */
  platformKeyCooldownMs: number;
  /** How long platform keys are trusted before they are fetched again anyway. */
  platformKeyMaxAgeMs: number;
  /** Minimum time between two roster syncs of one course triggered by launches. */
  rosterSyncAfterLaunchMs: number;
  /** Courses are synced at least this often by the maintenance job. */
  rosterSyncIntervalMs: number;
  /** How often the maintenance job runs (due roster syncs, expired logins). */
  maintenanceIntervalMs: number;
  /** Default overlap of a rotated tool key: still published, so tokens it signed stay verifiable. */
  keyOverlapMinutes: number;
  /** Lifetime of the access token handed to the browser after a launch. */
  accessTokenTtlSeconds: number;
  /** Time limit of one call to an LMS service. */
  serviceTimeoutMs: number;
  /**
   * The largest id_token accepted, in bytes. LMSs put custom parameters, course data and (Canvas)
   * extension claims in it: real tokens reach tens of kilobytes.
   */
  idTokenMaxBytes: number;
  /** How long a launch parked for "open in a new window" waits for that window. */
  handoffTtlSeconds: number;
  /** Overrides OSV_LTI_ALLOW_LOOPBACK_HTTP (LMSs on this machine, over http): development and tests. */
  allowLoopbackLms?: boolean;
}

export const defaultLtiOptions: LtiOptions = {
  // LMS clocks drift and slow networks delay the form post: ltijs's 10 s default refuses real launches.
  idTokenMaxAgeSeconds: 120,
  clockToleranceSeconds: 30,
  loginTtlSeconds: 600,
  platformKeyCooldownMs: 5_000,
  platformKeyMaxAgeMs: 10 * 60_000,
  rosterSyncAfterLaunchMs: 10 * 60_000,
  rosterSyncIntervalMs: 24 * 3600_000,
  maintenanceIntervalMs: 3600_000,
  // ≥ the lifetime of anything osv signs (client assertions 60 s, deep-link responses 60 s) plus
  // the time LMSs cache a JWKS.
  keyOverlapMinutes: 60,
  accessTokenTtlSeconds: 900,
  serviceTimeoutMs: 20_000,
  idTokenMaxBytes: 256 * 1024,
  handoffTtlSeconds: 120,
};
