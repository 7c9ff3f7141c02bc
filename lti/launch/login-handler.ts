import type { RequestHandler } from 'express';
import { z } from 'zod';
import { OsvError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { PlatformResolver } from '../registry/platform-resolver.js';
import type { Registration } from '../registry/registrations.js';
import type { ToolUrls } from '../tool-urls.js';
import type { LoginRequest, LoginStateStore } from './login-states.js';
import type { StateCookies } from './state-cookie.js';

/** Text an LMS sends; NUL and other control characters never belong in it (nor fit PostgreSQL text). */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), 'must not contain control characters');

const loginSchema = z.object({
  iss: text(500),
  login_hint: text(4000),
  target_link_uri: z.url().max(2000),
  client_id: text(255).optional(),
  lti_message_hint: text(8000).optional(),
  lti_deployment_id: text(255).optional(),
});

export interface LoginDeps {
  resolver: PlatformResolver;
  states: LoginStateStore;
  cookies: StateCookies;
  urls: ToolUrls;
  loginTtlSeconds: number;
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
    const registration = await findRegistration(deps.resolver, login).catch((error: unknown) => {
      // No tenant to log it for: admins setting up an LMS find it in the process log.
      deps.log.warn({ issuer: login.iss, clientId: login.client_id }, 'LTI login from an unregistered LMS');
      throw error;
    });
    if (registration.status !== 'active') throw new OsvError('OSV_ERR_LTI_REGISTRATION_DISABLED');
    const { state, nonce } = await deps.states.begin(registration.id, login);
    const authorization = new URL(registration.authorization_endpoint);
    const query = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: registration.client_id,
      redirect_uri: deps.urls.launch,
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

async function findRegistration(resolver: PlatformResolver, login: LoginRequest): Promise<Registration> {
  if (login.client_id) {
    const registration = await resolver.registration(login.iss, login.client_id);
    if (registration) return registration;
  } else {
    // Without a client id the issuer must be unambiguous.
    const registrations = await resolver.registrationsOf(login.iss);
    if (registrations.length === 1) return registrations[0]!;
  }
  throw new OsvError(
    'OSV_ERR_LTI_UNKNOWN_PLATFORM',
    `No LMS is registered with issuer ${login.iss}${login.client_id ? ` and client id ${login.client_id}` : ' (and the login named no client id)'}`,
  );
}
