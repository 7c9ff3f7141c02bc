import type { Request, RequestHandler } from 'express';
import { CSRF_HEADER, csrfTokenMatches } from '../auth/csrf-tokens.js';
import { OsvError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The page that sent the request: `Origin`, else the origin of `Referer`. */
function senderOrigin(req: Request): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin;
  const referer = req.headers.referer;
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/**
 * CSRF protection for every state-changing API request authenticated by the session cookie (core
 * admin, LTI admin and plugin routes alike): it must come from osv's own origin (`Sec-Fetch-Site:
 * same-origin`, or an `Origin`/`Referer` of PUBLIC_URL or of the configured admin origins) or carry
 * the session's `Osv-Csrf-Token`. Requests with an Authorization header need none of this: another
 * site's page cannot set one.
 */
export function csrfGuard(deps: { publicUrl: string; adminOrigins: string[]; signingKey: Buffer }): RequestHandler {
  const trusted = new Set([new URL(deps.publicUrl).origin, ...deps.adminOrigins]);
  return (req, _res, next) => {
    const session = req.cookieCredential;
    if (session === undefined || SAFE_METHODS.has(req.method)) return next();
    if (req.headers['sec-fetch-site'] === 'same-origin') return next();
    const origin = senderOrigin(req);
    if (origin !== undefined && trusted.has(origin)) return next();
    if (csrfTokenMatches(deps.signingKey, session, req.headers[CSRF_HEADER])) return next();
    throw new OsvError('OSV_ERR_CSRF');
  };
}
