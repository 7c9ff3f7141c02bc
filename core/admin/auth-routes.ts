import { z } from 'zod';
import { isOsvError, OsvError } from '../errors.js';
import { authenticatedPrincipal, type ApiRouter } from '../http/api-router.js';
import { csrfTokenFor } from '../auth/csrf-tokens.js';
import { signInThrottle } from '../auth/failure-throttle.js';
import { SESSION_COOKIE, sessionCookieOf } from '../http/authenticate.js';
import type { Kernel } from '../kernel.js';
import { emailSchema, slugSchema } from './schemas.js';

export function authRoutes(api: ApiRouter, kernel: Kernel): void {
  const throttle = signInThrottle(kernel.redis?.commands, kernel.config.OSV_QUEUE_PREFIX);

  api.route({
    method: 'post',
    path: '/auth/login',
    summary:
      'Sign in with an admin account; returns a session token (also set as an HttpOnly cookie) and the CSRF token that state-changing requests made with the cookie send as Osv-Csrf-Token. Repeated failures for an account slow it down (429 with Retry-After)',
    access: 'public',
    body: z.object({ tenant: slugSchema, email: emailSchema, password: z.string().min(1).max(1024) }),
    response: z.object({ token: z.string(), expiresAt: z.string(), csrfToken: z.string() }),
    handler: async ({ body, res }) => {
      const account = `${body.tenant}:${body.email.toLowerCase()}`;
      const waitMs = await throttle.blockedForMs(account);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        res.setHeader('Retry-After', String(seconds));
        throw new OsvError('OSV_ERR_RATE_LIMITED', `Too many failed sign-ins for this account; try again in ${seconds} s`);
      }
      const tenant = await kernel.tenants.get(body.tenant).catch(() => undefined);
      const session = await kernel.credentials.login(tenant?.id, body.email, body.password).catch(async (error: unknown) => {
        if (isOsvError(error) && error.code === 'OSV_ERR_BAD_CREDENTIALS') await throttle.failed(account);
        throw error;
      });
      await throttle.succeeded(account);
      res.cookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: kernel.config.PUBLIC_URL.startsWith('https:'),
        expires: session.expiresAt,
        path: '/',
      });
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), csrfToken: csrfTokenFor(kernel.secrets.signingKey, session.token) };
    },
  });

  api.route({
    method: 'get',
    path: '/auth/csrf-token',
    summary: 'The CSRF token of the session cookie: state-changing requests made with the cookie send it as Osv-Csrf-Token',
    access: 'authenticated',
    response: z.object({ csrfToken: z.string() }),
    handler: ({ req }) => {
      const session = sessionCookieOf(req);
      if (!session || req.cookieCredential !== session) {
        throw new OsvError('OSV_ERR_VALIDATION', 'Only a session cookie has a CSRF token; requests with Authorization: Bearer need none');
      }
      return { csrfToken: csrfTokenFor(kernel.secrets.signingKey, session) };
    },
  });

  api.route({
    method: 'post',
    path: '/auth/logout',
    summary: 'End the current session',
    access: 'authenticated',
    status: 204,
    handler: async ({ req, res }) => {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7) : sessionCookieOf(req);
      if (token?.startsWith('ses_')) await kernel.credentials.logout(token);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  });

  api.route({
    method: 'post',
    path: '/auth/embed-token',
    summary: "Server to server: exchange your site's user id for a short-lived access token the browser sends as Bearer",
    access: 'core:embed.issue',
    body: z.object({
      userId: z.string().min(1).max(255),
      email: emailSchema.optional(),
      name: z.string().max(200).optional(),
      role: z.enum(['learner', 'instructor']).default('learner'),
      scope: z.array(z.string().regex(/^[a-z0-9:._-]+$/)).max(20).default([]),
      ttlSeconds: z.number().int().min(60).max(3600).default(900),
    }),
    response: z.object({ token: z.string(), expiresAt: z.string(), userId: z.string() }),
    handler: async ({ body, principal }) => {
      const caller = authenticatedPrincipal(principal);
      if (caller.kind !== 'api_key') throw new OsvError('OSV_ERR_FORBIDDEN', 'Embed tokens are issued to secret API keys only');
      const user = await kernel.users.upsert(caller.tenantId, {
        issuer: 'site',
        subject: body.userId,
        email: body.email,
        name: body.name,
        role: body.role,
      });
      const { token, expiresAt } = await kernel.accessTokens.issue(
        { tenantId: caller.tenantId, userId: user.id, role: user.role, scope: body.scope },
        body.ttlSeconds,
      );
      return { token, expiresAt: expiresAt.toISOString(), userId: user.id };
    },
  });

  api.route({
    method: 'get',
    path: '/me',
    summary: 'Who the caller is',
    access: 'authenticated',
    response: z.object({ kind: z.string(), role: z.string(), tenantId: z.string(), capabilities: z.array(z.string()) }),
    handler: async ({ principal }) => {
      const caller = authenticatedPrincipal(principal);
      const held = [];
      for (const capability of kernel.capabilities.list()) {
        if (await kernel.capabilities.holds(caller, capability.name)) held.push(capability.name);
      }
      return { kind: caller.kind, role: caller.role, tenantId: caller.tenantId, capabilities: held };
    },
  });
}
