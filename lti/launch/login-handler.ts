import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { OsvError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Tenant } from '../../core/tenancy/tenants.js';
import type { PlatformResolver } from '../registry/platform-resolver.js';
import type { Registration } from '../registry/registrations.js';
import type { ToolUrls } from '../tool-urls.js';
import type { LaunchLog } from './launch-log.js';
import type { LoginRequest, LoginStateStore } from './login-states.js';
import type { StateCookies } from './state-cookie.js';

/** Text an LMS sends; NUL and other control characters never belong in it (nor fit PostgreSQL text). */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !hasControlCharacter(value), 'must not contain control characters');

/** C0 controls other than tab, line feed and carriage return, and DEL. */
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

const loginSchema = z.object({
  iss: text(500),
  login_hint: text(4000),
  target_link_uri: z.url().max(2000),
  client_id: text(255).optional(),
  lti_message_hint: text(8000).optional(),
  lti_deployment_id: text(255).optional(),
});

export interface LoginDeps {
  /** The tenant whose login URL the LMS was given; absent on the shared `/lti/login`. */
  tenantOf?: (req: Request) => Promise<Pick<Tenant, 'id' | 'slug'>>;
  resolver: PlatformResolver;
  states: LoginStateStore;
  cookies: StateCookies;
  urls: ToolUrls;
  loginTtlSeconds: number;
  launchLog: LaunchLog;
  log: Logger;
}

/**
 * OIDC login initiation (GET or POST, as the LMS prefers): records state ↔ nonce, binds the state
 * to this browser with a cookie, and sends the browser to the LMS's authorization endpoint.
 */
export function loginHandler(deps: LoginDeps): RequestHandler {
  return async (req, res) => {
    const parsed = loginSchema.safeParse({ ...(req.query as object), ...((req.body as object | undefined) ?? {}) });
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), issue: issue.message }));
      throw new OsvError('OSV_ERR_LTI_BAD_REQUEST', `The login request is invalid: ${details.map((d) => `${d.field}: ${d.issue}`).join('; ')}`, details);
    }
    const login: LoginRequest = parsed.data;
    const tenant = deps.tenantOf ? await deps.tenantOf(req) : undefined;
    const registration = await findRegistration(deps.resolver, login, tenant?.id).catch(async (error: unknown) => {
      await recordUnknownPlatform(deps, login, error, tenant?.id);
      throw error;
    });
    if (registration.status !== 'active') {
      const refusal = new OsvError('OSV_ERR_LTI_REGISTRATION_DISABLED');
      await record(deps, registration.tenant_id, login, refusal, registration.id);
      throw refusal;
    }
    const { state, nonce } = await deps.states.begin(registration.id, login);
    const authorization = new URL(registration.authorization_endpoint);
    const query = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: registration.client_id,
      // The redirect URI the LMS was given: the tenant's own launch URL, or the shared one.
      redirect_uri: tenant ? deps.urls.tenantLaunch(tenant.slug) : deps.urls.launch,
      login_hint: login.login_hint,
      state,
      nonce,
      ...(login.lti_message_hint ? { lti_message_hint: login.lti_message_hint } : {}),
    };
    for (const [name, value] of Object.entries(query)) authorization.searchParams.set(name, value);
    res.setHeader('Set-Cookie', deps.cookies.issue(state, deps.loginTtlSeconds));
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, authorization.toString());
  };
}

/**
 * The registration a login names: through a tenant's URL, that tenant's; through the shared URL,
 * the only one anywhere with this issuer and client id (or deployment). The refusals never say
 * which or how many tenants registered the LMS.
 */
async function findRegistration(resolver: PlatformResolver, login: LoginRequest, tenantId: string | undefined): Promise<Registration> {
  const match = await resolver.platform(login.iss, login.client_id, { tenantId, deploymentId: login.lti_deployment_id });
  if (match.kind === 'found') return match.registration;
  if (match.kind === 'ambiguous' && tenantId === undefined) throw new OsvError('OSV_ERR_LTI_AMBIGUOUS_PLATFORM');
  if (match.kind === 'ambiguous') {
    throw new OsvError('OSV_ERR_LTI_UNKNOWN_PLATFORM', `Several registrations use issuer ${login.iss} here; the login must name its client id`);
  }
  throw new OsvError(
    'OSV_ERR_LTI_UNKNOWN_PLATFORM',
    `No LMS is registered with issuer ${login.iss}${login.client_id ? ` and client id ${login.client_id}` : ' (and the login named no client id)'}`,
  );
}

/** A refused login, in the launch log of the tenant it concerns. */
async function record(deps: LoginDeps, tenantId: string, login: LoginRequest, error: OsvError, registrationId?: string): Promise<void> {
  await deps.launchLog
    .record(tenantId, {
      kind: 'launch',
      outcome: 'failure',
      code: error.code,
      reason: error.message,
      registrationId,
      deploymentId: login.lti_deployment_id,
      lmsUser: login.login_hint,
      detail: { step: 'login', issuer: login.iss, clientId: login.client_id ?? null },
    })
    .catch((logError: unknown) => deps.log.error({ err: logError }, 'could not record a refused LTI login'));
}

/**
 * A login from an issuer and client id no tenant registered (on a tenant's URL: that tenant). The
 * tenants that registered this issuer with the deployment the login names (the client id is
 * probably mistyped there) see it; otherwise only the process log does, as nothing ties it to a
 * tenant.
 */
async function recordUnknownPlatform(deps: LoginDeps, login: LoginRequest, error: unknown, tenantId: string | undefined): Promise<void> {
  if (!(error instanceof OsvError)) return;
  if (error.code === 'OSV_ERR_LTI_AMBIGUOUS_PLATFORM') {
    // Each tenant's log would tell it that another tenant registered the same LMS.
    deps.log.warn({ issuer: login.iss, clientId: login.client_id }, 'LTI login on the shared URL for an LMS several tenants registered');
    return;
  }
  const registered = login.lti_deployment_id ? await deps.resolver.tenantsWithDeployment(login.iss, login.lti_deployment_id) : [];
  const tenants = tenantId === undefined ? registered : registered.filter((candidate) => candidate === tenantId);
  if (tenants.length === 0) deps.log.warn({ issuer: login.iss, clientId: login.client_id }, 'LTI login from an unregistered LMS');
  for (const tenantId of tenants) await record(deps, tenantId, login, error);
}
