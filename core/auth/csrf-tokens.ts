import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the token of a cookie session's state-changing requests. */
export const CSRF_HEADER = 'osv-csrf-token';

/**
 * A token bound to one session (an HMAC of the session token under the platform's signing key):
 * a page of another site can neither read nor compute it, and it dies with the session.
 */
export function csrfTokenFor(signingKey: Buffer, sessionToken: string): string {
  return createHmac('sha256', signingKey).update(`csrf:${sessionToken}`).digest('base64url');
}

export function csrfTokenMatches(signingKey: Buffer, sessionToken: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(signingKey, sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
