import { errors, jwtVerify, SignJWT } from 'jose';
import { OsvError } from '../errors.js';
import type { MemberRole } from '../tenancy/users.js';

export interface AccessClaims {
  tenantId: string;
  userId: string;
  role: MemberRole;
  /** What the token may be used for, e.g. widget tags or an LTI context; empty means no narrowing. */
  scope: string[];
  /** When the end user signed in; a new session starts now when absent. */
  authTime?: Date;
}

const AUDIENCE = 'osv';
const MAX_TTL_SECONDS = 3600;
/** The absolute lifetime of a member session: tokens refreshed from it never outlive its sign-in by more. */
export const SESSION_MAX_AGE_SECONDS = 12 * 3600;

/**
 * Short-lived signed tokens for end users (after an LTI launch or a website's embed-token
 * exchange), sent as `Authorization: Bearer`: browsers need no third-party cookie.
 */
export class AccessTokens {
  constructor(
    private readonly signingKey: Buffer,
    private readonly issuer: string,
  ) {}

  /** A token of the session that began at `claims.authTime` (now by default), expiring no later than the session. */
  async issue(claims: AccessClaims, ttlSeconds = 900): Promise<{ token: string; expiresAt: Date }> {
    const ttl = Math.min(Math.max(ttlSeconds, 1), MAX_TTL_SECONDS);
    const authTime = Math.floor((claims.authTime?.getTime() ?? Date.now()) / 1000);
    const sessionEndsAt = (authTime + SESSION_MAX_AGE_SECONDS) * 1000;
    if (sessionEndsAt <= Date.now()) throw new OsvError('OSV_ERR_SESSION_EXPIRED');
    const expiresAt = new Date(Math.min(Date.now() + ttl * 1000, sessionEndsAt));
    const token = await new SignJWT({ tid: claims.tenantId, role: claims.role, scope: claims.scope.join(' '), auth_time: authTime })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject(claims.userId)
      .setIssuer(this.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.signingKey);
    return { token, expiresAt };
  }

  /**
   * The claims of a valid token; `expired` for a genuine one past its expiry or its session's
   * lifetime (a client that should refresh, not a guess); null for a forged or foreign one.
   */
  async verify(token: string): Promise<AccessClaims | 'expired' | null> {
    try {
      const { payload } = await jwtVerify(token, this.signingKey, {
        issuer: this.issuer,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        typ: 'at+jwt',
        maxTokenAge: MAX_TTL_SECONDS,
      });
      const role = payload.role;
      if (typeof payload.tid !== 'string' || !payload.sub || (role !== 'admin' && role !== 'instructor' && role !== 'learner')) return null;
      const scope = typeof payload.scope === 'string' && payload.scope !== '' ? payload.scope.split(' ') : [];
      const authTime = typeof payload.auth_time === 'number' ? payload.auth_time : payload.iat;
      if (authTime === undefined) return null;
      if ((authTime + SESSION_MAX_AGE_SECONDS) * 1000 <= Date.now()) return 'expired';
      return { tenantId: payload.tid, userId: payload.sub, role, scope, authTime: new Date(authTime * 1000) };
    } catch (error) {
      // jose checks the signature before the claims: an expired token was signed by us.
      if (error instanceof errors.JWTExpired) return 'expired';
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }
}

export function looksLikeJwt(token: string): boolean {
  return token.startsWith('eyJ') && token.split('.').length === 3;
}
