import { createHmac, timingSafeEqual } from 'node:crypto';

export type StateCookieCheck = 'match' | 'missing' | 'mismatch';

/**
 * Binds a login to the browser that started it. The cookie is `SameSite=None; Secure` so the LMS's
 * cross-site form post carries it, and `Partitioned` (CHIPS) so browsers that block third-party
 * cookies still keep it inside the LMS iframe. When a browser drops it anyway, the launch answers
 * with an "open in a new window" page instead of failing for good.
 */
export class StateCookies {
  constructor(private readonly secret: Buffer) {}

  name(state: string): string {
    return `osv_lti_${state}`;
  }

  /** `Set-Cookie` value for a login that has just begun. */
  issue(state: string, maxAgeSeconds: number): string {
    return `${this.name(state)}=${this.value(state)}; Path=/lti/launch; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=None; Partitioned`;
  }

  /** `Set-Cookie` value that removes it once the launch is over. */
  clear(state: string): string {
    return `${this.name(state)}=; Path=/lti/launch; Max-Age=0; HttpOnly; Secure; SameSite=None; Partitioned`;
  }

  check(cookieHeader: string | undefined, state: string): StateCookieCheck {
    const sent = readCookie(cookieHeader, this.name(state));
    if (sent === undefined) return 'missing';
    const expected = Buffer.from(this.value(state));
    const actual = Buffer.from(sent);
    return actual.length === expected.length && timingSafeEqual(actual, expected) ? 'match' : 'mismatch';
  }

  private value(state: string): string {
    return createHmac('sha256', this.secret).update(`lti-state:${state}`).digest('base64url');
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of header?.split(';') ?? []) {
    const index = pair.indexOf('=');
    if (index > 0 && pair.slice(0, index).trim() === name) return pair.slice(index + 1).trim();
  }
  return undefined;
}
