import type { KeyObject } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { AccessTokens } from '../../core/auth/access-tokens.js';
import { type ErrorCode, OsvError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Tenant } from '../../core/tenancy/tenants.js';
import type { ContentCatalogue } from '../deep-linking/content-catalogue.js';
import { StateCookieBlocked, tokenTooLarge } from '../http/browser-errors.js';
import { LtijsRefusal } from '../ltijs/ltijs-gateway.js';
import type { LtiGateway } from '../lti-gateway.js';
import { deepLinkPage } from '../pages/deep-link-page.js';
import { sendPage } from '../pages/html.js';
import { launchPage } from '../pages/launch-page.js';
import type { PlatformResolver } from '../registry/platform-resolver.js';
import type { Registration } from '../registry/registrations.js';
import type { ToolUrls } from '../tool-urls.js';
import { type LaunchClaims, parseLaunchClaims } from './claims.js';
import type { IdTokenVerifier } from './id-token-verifier.js';
import type { LaunchLog } from './launch-log.js';
import type { LaunchRecorder, RecordedLaunch } from './launch-recorder.js';
import type { LaunchHandoffs } from './launch-handoffs.js';
import type { LoginStateStore } from './login-states.js';
import { osvRoleOf } from './roles.js';
import type { StateCookies } from './state-cookie.js';

/** The states osv issues (base64url); anything else was never issued here. */
const STATE_FORMAT = /^[A-Za-z0-9_-]{1,200}$/;

/** ltijs's reasons, in osv's catalogue. */
const LTIJS_REASONS: Record<string, ErrorCode> = {
  NONCE_ALREADY_RECEIVED: 'OSV_ERR_LTI_NONCE_REPLAYED',
  TOKEN_TOO_OLD: 'OSV_ERR_LTI_TOKEN_EXPIRED',
  'jwt expired': 'OSV_ERR_LTI_TOKEN_EXPIRED',
  ISS_CLAIM_DOES_NOT_MATCH: 'OSV_ERR_LTI_WRONG_ISSUER',
  UNREGISTERED_PLATFORM: 'OSV_ERR_LTI_UNKNOWN_PLATFORM',
  PLATFORM_NOT_ACTIVATED: 'OSV_ERR_LTI_REGISTRATION_DISABLED',
  'invalid signature': 'OSV_ERR_LTI_BAD_SIGNATURE',
};

export interface LaunchDeps {
  /** The tenant whose launch URL the LMS posted to; absent on the shared `/lti/launch`. */
  tenantOf?: (req: Request) => Promise<Pick<Tenant, 'id'>>;
  states: LoginStateStore;
  handoffs: LaunchHandoffs;
  cookies: StateCookies;
  resolver: PlatformResolver;
  verifier: IdTokenVerifier;
  gateway: LtiGateway;
  recorder: LaunchRecorder;
  launchLog: LaunchLog;
  catalogue: ContentCatalogue;
  accessTokens: AccessTokens;
  urls: ToolUrls;
  accessTokenTtlSeconds: number;
  idTokenMaxBytes: number;
  log: Logger;
}

/**
 * The id_token POST. osv's checks first (state and its cookie, single use, signature and claims
 * with jose, nonce bound to the login, known deployment), then ltijs's own validation, then the
 * writes — so a refused launch creates nothing but its log entry — then the page, carrying a
 * short-lived osv access token instead of any cookie.
 */
export function launchHandler(deps: LaunchDeps): RequestHandler {
  return async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const idToken = typeof body.id_token === 'string' && body.id_token.length > 0 ? body.id_token : undefined;
    const state = typeof body.state === 'string' && body.state.length > 0 ? body.state : undefined;
    let registration: Registration | undefined;
    let claims: LaunchClaims | undefined;
    try {
      if (!idToken || !state) throw new OsvError('OSV_ERR_LTI_BAD_REQUEST', 'The launch needs the id_token and state form fields');
      if (Buffer.byteLength(idToken) > deps.idTokenMaxBytes) throw tokenTooLarge(deps.idTokenMaxBytes);
      if (!STATE_FORMAT.test(state)) throw new OsvError('OSV_ERR_LTI_STATE_MISMATCH', 'The launch state was not issued by osv');
      const consumed = await deps.states.consume(state);
      if (consumed.kind === 'unknown') throw new OsvError('OSV_ERR_LTI_STATE_MISMATCH');
      registration = await deps.resolver.registrationById(consumed.row.registration_id);
      if (!registration) throw new OsvError('OSV_ERR_LTI_UNKNOWN_PLATFORM', 'The LMS this login started for is no longer registered');
      if (deps.tenantOf && (await deps.tenantOf(req)).id !== registration.tenant_id) {
        throw new OsvError('OSV_ERR_LTI_STATE_MISMATCH', 'The launch was posted to another launch URL than the one its login was started for');
      }
      if (consumed.kind === 'used') throw new OsvError('OSV_ERR_LTI_NONCE_REPLAYED');
      const cookie = deps.cookies.check(req.headers.cookie, state);
      if (cookie === 'mismatch') throw new OsvError('OSV_ERR_LTI_STATE_MISMATCH', 'The launch cookie belongs to another login');
      if (registration.status !== 'active') throw new OsvError('OSV_ERR_LTI_REGISTRATION_DISABLED');
      const verified = await deps.verifier.verify(idToken, registration);
      if (verified.payload.nonce !== consumed.row.nonce) throw new OsvError('OSV_ERR_LTI_NONCE_MISMATCH');
      claims = parseLaunchClaims(verified.payload);
      if (claims.messageType === 'LtiDeepLinkingRequest' && osvRoleOf(claims.roles) === 'learner') {
        throw new OsvError('OSV_ERR_FORBIDDEN', 'Only instructors can add osv content to a course');
      }
      const deployment = await deps.resolver.deployment(registration.id, claims.deploymentId);
      if (!deployment) {
        throw new OsvError('OSV_ERR_LTI_UNKNOWN_DEPLOYMENT', `Deployment ${claims.deploymentId} is not registered for ${registration.name}`);
      }
      await acceptByLtijs(deps.gateway, req, res, registration, verified.publicKey);
      if (cookie === 'missing') {
        // Valid, but the browser dropped the cookie that ties it to the login it started (a
        // strict browser inside the LMS iframe): parked for a window of its own, where the
        // one-time token redeems it. Replaying the login would reuse the LMS's lti_message_hint,
        // which LMSs may accept once only.
        const token = await deps.handoffs.park(registration.id, state, claims);
        throw new StateCookieBlocked(
          { action: deps.urls.launchContinue, token },
          'The browser did not keep the launch cookie inside the course page; open the launch in a new window',
        );
      }
      const recorded = await deps.recorder.record(registration, deployment, claims);
      res.append('Set-Cookie', deps.cookies.clear(state));
      await render(deps, res, registration, claims, recorded);
    } catch (error) {
      const attribution = registration ? { registration, by: 'state' as const } : await attribute(deps, idToken, state);
      await recordFailure(deps, attribution, idToken, claims, error);
      throw error;
    }
  };
}

interface Attribution {
  registration: Registration;
  /** How the refused launch was tied to its LMS: its (known) state, or what its unverified token claims. */
  by: 'state' | 'unverified id_token';
}

/**
 * The LMS a launch refused before its state was consumed belongs to, so that its tenant's admins
 * see it too: the login its state names, or else the issuer, audience and deployment its id_token
 * claims (unverified: the entry says so).
 */
async function attribute(deps: LaunchDeps, idToken: string | undefined, state: string | undefined): Promise<Attribution | undefined> {
  try {
    if (state && STATE_FORMAT.test(state)) {
      const login = await deps.states.peek(state);
      const registration = login && (await deps.resolver.registrationById(login.registration_id));
      if (registration) return { registration, by: 'state' };
    }
    if (!idToken) return undefined;
    const payload = decodeJwt(idToken);
    const audiences = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).filter((aud): aud is string => typeof aud === 'string');
    const deploymentId = payload['https://purl.imsglobal.org/spec/lti/claim/deployment_id'];
    if (typeof payload.iss !== 'string' || audiences.length === 0) return undefined;
    for (const audience of audiences.slice(0, 5)) {
      const registration = await deps.resolver.launchRegistration(payload.iss, audience, typeof deploymentId === 'string' ? deploymentId : undefined);
      if (registration) return { registration, by: 'unverified id_token' };
    }
  } catch {
    // Not even a readable token: nothing ties the request to an LMS.
  }
  return undefined;
}

/**
 * `POST /lti/launch/continue`: a launch parked because the iframe lost its state cookie, opened in
 * a window of its own with its one-time handoff token. It was fully validated when parked; what
 * may have changed since (the registration, the deployment) is checked again.
 */
export function launchContinueHandler(deps: LaunchDeps): RequestHandler {
  return async (req, res) => {
    const token = (req.body as { handoff?: unknown } | undefined)?.handoff;
    const parked = typeof token === 'string' ? await deps.handoffs.redeem(token) : undefined;
    if (!parked) {
      deps.log.warn('LTI launch handoff refused: unknown, already used or expired');
      throw new OsvError('OSV_ERR_LTI_HANDOFF_INVALID');
    }
    const { claims } = parked;
    const registration = await deps.resolver.registrationById(parked.registration_id);
    try {
      if (!registration) throw new OsvError('OSV_ERR_LTI_UNKNOWN_PLATFORM', 'The LMS of this launch is no longer registered');
      if (registration.status !== 'active') throw new OsvError('OSV_ERR_LTI_REGISTRATION_DISABLED');
      const deployment = await deps.resolver.deployment(registration.id, claims.deploymentId);
      if (!deployment) {
        throw new OsvError('OSV_ERR_LTI_UNKNOWN_DEPLOYMENT', `Deployment ${claims.deploymentId} is not registered for ${registration.name}`);
      }
      const recorded = await deps.recorder.record(registration, deployment, claims);
      await render(deps, res, registration, claims, recorded);
    } catch (error) {
      await recordFailure(deps, registration && { registration, by: 'state' }, undefined, claims, error);
      throw error;
    }
  };
}

async function acceptByLtijs(gateway: LtiGateway, req: Request, res: Response, registration: Registration, publicKey: KeyObject): Promise<void> {
  try {
    await gateway.acceptLaunch(req, res, { registrationId: registration.id, issuer: registration.issuer, publicKey });
  } catch (error) {
    if (!(error instanceof LtijsRefusal)) throw error;
    throw new OsvError(LTIJS_REASONS[error.reason] ?? 'OSV_ERR_LTI_TOKEN_INVALID', `The LTI engine refused the launch: ${error.reason}`);
  }
}

async function render(deps: LaunchDeps, res: Response, registration: Registration, claims: LaunchClaims, recorded: RecordedLaunch): Promise<void> {
  const tenantId = registration.tenant_id;
  const scope = ['lti', ...(recorded.context ? [`lti-context:${recorded.context.id}`] : []), ...(recorded.resourceLink ? [`lti-link:${recorded.resourceLink.id}`] : [])];
  const issued = await deps.accessTokens.issue({ tenantId, userId: recorded.user.id, role: recorded.role, scope }, deps.accessTokenTtlSeconds);
  const session = { token: issued.token, expiresAt: issued.expiresAt.toISOString() };
  const tools = await deps.catalogue.forTenant(tenantId);
  if (recorded.deepLinkRequestId && claims.deepLinking) {
    const view = { requestId: recorded.deepLinkRequestId, session, items: tools, acceptMultiple: claims.deepLinking.acceptMultiple };
    sendPage(res, 200, deepLinkPage(view), { formAction: [new URL(claims.deepLinking.returnUrl).origin] });
    return;
  }
  const itemKey = recorded.resourceLink?.contentItem;
  sendPage(
    res,
    200,
    launchPage({
      session,
      role: recorded.role,
      userName: recorded.user.name,
      courseTitle: recorded.context?.title ?? null,
      contextId: recorded.context?.id,
      linkTitle: recorded.resourceLink?.title ?? null,
      item: itemKey ? tools.find((tool) => tool.key === itemKey) : undefined,
      tools,
    }),
  );
}

/**
 * Failures are logged for the tenant's admins with the precise reason; the token is described, not
 * stored. A refusal no registered LMS can be tied to has no tenant: it goes to the process log.
 */
async function recordFailure(
  deps: LaunchDeps,
  attribution: Attribution | undefined,
  idToken: string | undefined,
  claims: LaunchClaims | undefined,
  error: unknown,
): Promise<void> {
  const code = error instanceof OsvError ? error.code : 'OSV_ERR_INTERNAL';
  const reason = error instanceof Error ? error.message : String(error);
  let header: Record<string, unknown> = {};
  try {
    const { alg, kid } = decodeProtectedHeader(idToken ?? '');
    header = { alg, kid };
  } catch {
    header = { malformed: true };
  }
  const token = { ...header, ...(idToken ? { bytes: Buffer.byteLength(idToken) } : {}) };
  if (!attribution) {
    deps.log.warn({ code, reason, token }, 'LTI launch refused; it names no registered LMS');
    return;
  }
  const { registration, by } = attribution;
  await deps.launchLog
    .record(registration.tenant_id, {
      kind: 'launch',
      outcome: 'failure',
      code,
      reason,
      registrationId: registration.id,
      deploymentId: claims?.deploymentId,
      messageType: claims?.messageType,
      lmsUser: claims?.subject,
      detail: { token, ...(by === 'state' ? {} : { attributedBy: by }) },
    })
    .catch((logError: unknown) => deps.log.error({ err: logError }, 'could not record a failed LTI launch'));
}
