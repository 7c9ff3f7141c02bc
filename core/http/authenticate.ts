import type { Request, RequestHandler } from 'express';
import { type AccessTokens, looksLikeJwt } from '../auth/access-tokens.js';
import type { CredentialService } from '../auth/credentials.js';
import type { Principal } from '../auth/principal.js';
import { originAllowed, type PublishableKey, type PublishableKeyService } from '../auth/publishable-keys.js';
import { OsvError } from '../errors.js';
import type { TenantService } from '../tenancy/tenants.js';

export const SESSION_COOKIE = 'osv_session';
const SESSION_COOKIE_VALUE = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`);

export interface AuthenticateDeps {
  credentials: CredentialService;
  tenants: TenantService;
  accessTokens: AccessTokens;
  publishableKeys: PublishableKeyService;
}

function bearerToken(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  const match = req.headers.cookie?.match(SESSION_COOKIE_VALUE);
  return match?.[1];
}

/**
 * Widgets send their publishable key as `?key=pk_…` (also accepted: the `Osv-Key` header). The
 * query form lets CORS preflights, which carry no header values, be checked against the key.
 */
export function publishableKeyOf(req: Request): string | undefined {
  // Express parses the query string on every read of req.query; most API calls have none.
  const fromQuery = req.url.includes('?') ? (req.query as Record<string, unknown>).key : undefined;
  if (typeof fromQuery === 'string') return fromQuery;
  const fromHeader = req.headers['osv-key'];
  return typeof fromHeader === 'string' ? fromHeader : undefined;
}

async function livePublishableKey(deps: AuthenticateDeps, req: Request, value: string): Promise<PublishableKey> {
  const key = await deps.publishableKeys.resolve(value);
  if (!key) throw new OsvError('OSV_ERR_BAD_PUBLISHABLE_KEY');
  if (!originAllowed(key, req.headers.origin)) throw new OsvError('OSV_ERR_ORIGIN_NOT_ALLOWED');
  return key;
}

async function memberPrincipal(accessTokens: AccessTokens, token: string): Promise<Principal> {
  const claims = await accessTokens.verify(token);
  if (!claims) throw new OsvError('OSV_ERR_UNAUTHENTICATED', 'The access token is invalid or expired');
  const { tenantId, userId, role, scope } = claims;
  return { kind: 'member', tenantId, homeTenantId: tenantId, role, userId, scope };
}

/**
 * Resolves the caller into `req.principal`: `Bearer sk_…|ses_…|<access token>` (or the session
 * cookie), and/or a publishable key. No credential leaves the request anonymous; a bad one is
 * refused outright.
 */
export function authenticate(deps: AuthenticateDeps): RequestHandler {
  return async (req, _res, next) => {
    const publishableValue = publishableKeyOf(req);
    const publishable = publishableValue === undefined ? undefined : await livePublishableKey(deps, req, publishableValue);
    const token = bearerToken(req);
    if (!token) {
      if (publishable) {
        const tenantId = publishable.tenant_id;
        req.principal = { kind: 'publishable', tenantId, homeTenantId: tenantId, role: 'guest', publishableKeyId: publishable.id, scope: publishable.allowed_widgets };
      }
      return next();
    }
    if (looksLikeJwt(token)) {
      const member = await memberPrincipal(deps.accessTokens, token);
      if (publishable && publishable.tenant_id !== member.tenantId) throw new OsvError('OSV_ERR_FORBIDDEN', 'The access token and the publishable key belong to different tenants');
      req.principal = member;
      return next();
    }
    // Browsers always send Origin on cross-origin and state-changing requests; servers do not.
    if (token.startsWith('sk_') && req.headers.origin) throw new OsvError('OSV_ERR_SECRET_KEY_IN_BROWSER');
    const resolved = await deps.credentials.resolve(token);
    if (!resolved) throw new OsvError(token.startsWith('sk_') ? 'OSV_ERR_BAD_API_KEY' : 'OSV_ERR_UNAUTHENTICATED');
    let tenantId = resolved.homeTenantId;
    const requestedTenant = req.headers['osv-tenant'];
    if (typeof requestedTenant === 'string' && requestedTenant !== '') {
      if (resolved.role !== 'owner') throw new OsvError('OSV_ERR_FORBIDDEN', 'Only platform owners may act on another tenant');
      tenantId = (await deps.tenants.get(requestedTenant)).id;
    }
    req.principal = { ...resolved, tenantId };
    next();
  };
}
