import type { RequestHandler } from 'express';
import type { CredentialService } from '../auth/credentials.js';
import { OsvError } from '../errors.js';
import type { TenantService } from '../tenancy/tenants.js';
import { TtlCache } from '../ttl-cache.js';

export const SESSION_COOKIE = 'osv_session';

function bearerToken(authorization: string | undefined, cookie: string | undefined): string | undefined {
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  const match = cookie?.match(new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`));
  return match?.[1];
}

/**
 * Resolves `Authorization: Bearer sk_…|ses_…` (or the session cookie) into `req.principal`.
 * No credential leaves the request anonymous; a bad one is refused outright.
 */
export function authenticate(deps: { credentials: CredentialService; tenants: TenantService }): RequestHandler {
  const tenantBySlug = new TtlCache<string, string>(30_000);
  return async (req, _res, next) => {
    const token = bearerToken(req.headers.authorization, req.headers.cookie);
    if (!token) return next();
    const resolved = await deps.credentials.resolve(token);
    if (!resolved) {
      throw new OsvError(token.startsWith('sk_') ? 'OSV_ERR_BAD_API_KEY' : 'OSV_ERR_UNAUTHENTICATED', undefined);
    }
    let tenantId = resolved.homeTenantId;
    const requestedTenant = req.headers['osv-tenant'];
    if (typeof requestedTenant === 'string' && requestedTenant !== '') {
      if (resolved.role !== 'owner') throw new OsvError('OSV_ERR_FORBIDDEN', 'Only platform owners may act on another tenant');
      tenantId = await tenantBySlug.get(requestedTenant, async () => (await deps.tenants.get(requestedTenant)).id);
    }
    req.principal = { ...resolved, tenantId };
    next();
  };
}
