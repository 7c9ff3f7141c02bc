import { z } from 'zod';
import { OsvError } from '../errors.js';
import { authenticatedPrincipal, type ApiRouter } from '../http/api-router.js';
import { SESSION_COOKIE } from '../http/authenticate.js';
import type { Kernel } from '../kernel.js';
import { emailSchema, slugSchema } from './schemas.js';

export function authRoutes(api: ApiRouter, kernel: Kernel): void {
  api.route({
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in with an admin account; returns a session token (also set as an HttpOnly cookie)',
    access: 'public',
    body: z.object({ tenant: slugSchema, email: emailSchema, password: z.string().min(1).max(1024) }),
    response: z.object({ token: z.string(), expiresAt: z.string() }),
    handler: async ({ body, res }) => {
      const tenant = await kernel.tenants.get(body.tenant).catch(() => {
        throw new OsvError('OSV_ERR_BAD_CREDENTIALS');
      });
      const session = await kernel.credentials.login(tenant.id, body.email, body.password);
      res.cookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: kernel.config.PUBLIC_URL.startsWith('https:'),
        expires: session.expiresAt,
        path: '/',
      });
      return { token: session.token, expiresAt: session.expiresAt.toISOString() };
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
      const token = header?.startsWith('Bearer ') ? header.slice(7) : req.headers.cookie?.match(/osv_session=([^;]+)/)?.[1];
      if (token?.startsWith('ses_')) await kernel.credentials.logout(token);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
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
