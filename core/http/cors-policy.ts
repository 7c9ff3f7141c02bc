import cors from 'cors';
import type { RequestHandler } from 'express';
import { publishableKeyOf } from './authenticate.js';

/**
 * CORS for the API: the admin origins from configuration, with credentials (the session cookie);
 * plus any origin of a request that names a publishable key, without credentials. Widgets
 * authenticate with the key or `Authorization: Bearer`, and a site's key must never let its pages
 * use an admin's cookie. Whether the key allows that origin is authentication's decision: a refused
 * key (unknown, revoked, or not for this site) is answered readably with no data, so the widget can
 * say why instead of showing a network failure. Any other origin gets no CORS headers, so browsers
 * block it. A request without Origin is not a cross-origin browser request: nothing to decide.
 */
export function corsPolicy(deps: { adminOrigins: string[] }): RequestHandler {
  const policy = cors((req, callback) => {
    const origin = req.headers.origin;
    const answer = (allowed: string | false, credentials: boolean) => callback(null, { origin: allowed, credentials, maxAge: 600 });
    if (!origin || deps.adminOrigins.includes(origin)) return answer(origin ?? false, true);
    const namesKey = publishableKeyOf(req as Parameters<typeof publishableKeyOf>[0]) !== undefined;
    answer(namesKey ? origin : false, false);
  });
  return (req, res, next) => (req.headers.origin ? policy(req, res, next) : next());
}
