import type { Request, RequestHandler } from 'express';
import { type AccessTokens, looksLikeJwt } from '../auth/access-tokens.js';
import type { CredentialService } from '../auth/credentials.js';
import type { FailureThrottle } from '../auth/failure-throttle.js';
import type { Principal } from '../auth/principal.js';
import { originAllowed, type PublishableKey, type PublishableKeyService } from '../auth/publishable-keys.js';
import { isOsvError, OsvError } from '../errors.js';
import type { TenantService } from '../tenancy/tenants.js';
import { LocalBlocks } from './local-blocks.js';

export const SESSION_COOKIE = 'osv_session';
const SESSION_COOKIE_VALUE = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`);

export interface AuthenticateDeps {
  credentials: CredentialService;
  tenants: TenantService;
  accessTokens: AccessTokens;
  publishableKeys: PublishableKeyService;
}

function authorizationToken(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  return authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
}

export function sessionCookieOf(req: Request): string | undefined {
  return req.headers.cookie?.match(SESSION_COOKIE_VALUE)?.[1];
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

/** The `Osv-Tenant` header, when the caller names a tenant. */
function requestedTenantOf(req: Request): string | undefined {
  const requested = req.headers['osv-tenant'];
  return typeof requested === 'string' && requested !== '' ? requested : undefined;
}

/** A genuine credential that has run out: the client should refresh it; it is no guess. */
class ExpiredCredential extends OsvError {
  constructor(message: string) {
    super('OSV_ERR_UNAUTHENTICATED', message);
  }
}

/**
 * A refused secret (an unknown API key or session, a forged token) may be someone guessing; an
 * expired token or a revoked publishable key (public anyway) is a client to fix, often many
 * people behind one address.
 */
function looksLikeGuess(error: unknown): boolean {
  return isOsvError(error) && error.status === 401 && error.code !== 'OSV_ERR_BAD_PUBLISHABLE_KEY' && !(error instanceof ExpiredCredential);
}

async function memberPrincipal(deps: AuthenticateDeps, req: Request, token: string): Promise<Principal> {
  const claims = await deps.accessTokens.verify(token);
  if (claims === 'expired') throw new ExpiredCredential('The access token has expired; refresh it or sign in again');
  if (!claims) throw new OsvError('OSV_ERR_UNAUTHENTICATED', 'The access token is invalid: forged, malformed or issued elsewhere');
  const { tenantId, userId, role, scope, authTime } = claims;
  const requested = requestedTenantOf(req);
  if (requested !== undefined) {
    const named = await deps.tenants.get(requested).catch(() => undefined);
    if (named?.id !== tenantId) {
      throw new OsvError('OSV_ERR_TENANT_MISMATCH', `This access token belongs to another tenant than Osv-Tenant "${requested}" names; drop the header or use a token of that tenant`);
    }
  }
  return { kind: 'member', tenantId, homeTenantId: tenantId, role, userId, scope, authTime };
}

async function credentialPrincipal(deps: AuthenticateDeps, req: Request, token: string): Promise<Principal> {
  // Browsers always send Origin on cross-origin and state-changing requests; servers do not.
  if (token.startsWith('sk_') && req.headers.origin) throw new OsvError('OSV_ERR_SECRET_KEY_IN_BROWSER');
  const resolved = await deps.credentials.resolve(token);
  if (!resolved) throw new OsvError(token.startsWith('sk_') ? 'OSV_ERR_BAD_API_KEY' : 'OSV_ERR_UNAUTHENTICATED');
  let tenantId = resolved.homeTenantId;
  const requested = requestedTenantOf(req);
  if (requested !== undefined) {
    if (resolved.role !== 'owner') throw new OsvError('OSV_ERR_FORBIDDEN', 'Only platform owners may act on another tenant');
    tenantId = (await deps.tenants.get(requested)).id;
  }
  return { ...resolved, tenantId };
}

async function resolvePrincipal(deps: AuthenticateDeps, req: Request, token: string | undefined): Promise<Principal | undefined> {
  const publishableValue = publishableKeyOf(req);
  const publishable = publishableValue === undefined ? undefined : await livePublishableKey(deps, req, publishableValue);
  if (!token) {
    if (!publishable) return undefined;
    const tenantId = publishable.tenant_id;
    return { kind: 'publishable', tenantId, homeTenantId: tenantId, role: 'guest', publishableKeyId: publishable.id, scope: publishable.allowed_widgets };
  }
  const principal = looksLikeJwt(token) ? await memberPrincipal(deps, req, token) : await credentialPrincipal(deps, req, token);
  // A publishable key only says which site is calling; it never joins another tenant's credential.
  if (publishable && publishable.tenant_id !== principal.tenantId) {
    throw new OsvError('OSV_ERR_TENANT_MISMATCH', 'The publishable key belongs to another tenant than the credential; send a key of the same tenant');
  }
  return principal;
}

/**
 * Resolves the caller into `req.principal`: `Bearer sk_…|ses_…|<access token>` (or the session
 * cookie), and/or a publishable key. No credential leaves the request anonymous; a bad one is
 * refused outright. An address that keeps sending refused credentials is blocked for a while
 * (`failures`), so guessing keys costs the database nothing once it starts.
 */
export function authenticate(deps: AuthenticateDeps, failures: FailureThrottle): RequestHandler {
  const blocked = new LocalBlocks();
  return async (req, res, next) => {
    const fromHeader = authorizationToken(req);
    const fromCookie = fromHeader === undefined ? sessionCookieOf(req) : undefined;
    const token = fromHeader ?? fromCookie;
    if (token === undefined) {
      // A publishable key alone is public: nothing to guess, so a blocked address may still use it.
      if (publishableKeyOf(req) !== undefined) req.principal = await resolvePrincipal(deps, req, undefined);
      return next();
    }
    const address = req.ip ?? 'unknown';
    const refuseBlocked = (ms: number) => {
      res.setHeader('Retry-After', String(Math.ceil(ms / 1000)));
      return new OsvError('OSV_ERR_RATE_LIMITED', `Too many refused credentials from this address; try again in ${Math.ceil(ms / 1000)} s`);
    };
    const blockedMs = blocked.remainingMs(address);
    if (blockedMs > 0) throw refuseBlocked(blockedMs);
    try {
      req.principal = await resolvePrincipal(deps, req, token);
    } catch (error) {
      if (!looksLikeGuess(error)) throw error;
      const blockMs = await failures.failed(address);
      if (blockMs === 0) throw error;
      blocked.block(address, blockMs);
      throw refuseBlocked(blockMs);
    }
    if (fromCookie !== undefined) req.cookieCredential = fromCookie;
    next();
  };
}
