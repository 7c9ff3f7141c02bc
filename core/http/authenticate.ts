import type { RequestHandler } from 'express';
import { type AccessTokens, looksLikeJwt } from '../auth/access-tokens.js';
import type { CredentialService } from '../auth/credentials.js';
import type { Principal } from '../auth/principal.js';
import { OsvError } from '../errors.js';
import type { TenantService } from '../tenancy/tenants.js';
import { TtlCache } from '../ttl-cache.js';

export const SESSION_COOKIE = 'osv_session';

function bearerToken(authorization: string | undefined, cookie: string | undefined): string | undefined {
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  const match = cookie?.match(new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`));
  return match?.[1];
}

async function memberPrincipal(accessTokens: AccessTokens, token: string): Promise<Principal> {
  const claims = await accessTokens.verify(token);
  if (!claims) throw new OsvError('OSV_ERR_UNAUTHENTICATED', 'The access token is invalid or expired');
  const { tenantId, userId, role, scope } = claims;
  return { kind: 'member', tenantId, homeTenantId: tenantId, role, userId, scope };
}

/**
 * Resolves `Authorization: Bearer sk_…|ses_…|<access token>` (or the session cookie) into
 * `req.principal`. No credential leaves the request anonymous; a bad one is refused outright.
 */
export function authenticate(deps: { credentials: CredentialService; tenants: TenantService; accessTokens: AccessTokens }): RequestHandler {
  const tenantBySlug = new TtlCache<string, string>(30_000);
  return async (req, _res, next) => {
    const token = bearerToken(req.headers.authorization, req.headers.cookie);
    if (!token) return next();
    if (looksLikeJwt(token)) {
      req.principal = await memberPrincipal(deps.accessTokens, token);
      return next();
    }
    // Browsers always send Origin on cross-origin and state-changing requests; servers do not.
    if (token.startsWith('sk_') && req.headers.origin) throw new OsvError('OSV_ERR_SECRET_KEY_IN_BROWSER');
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
