import cors from 'cors';
import type { RequestHandler } from 'express';
import { originAllowed, type PublishableKeyService } from '../auth/publishable-keys.js';
import { publishableKeyOf } from './authenticate.js';

/**
 * CORS for the API: the admin origins from configuration, with credentials (the session cookie);
 * plus — per request — the origins that the request's publishable key allows, without credentials:
 * widgets authenticate with `Authorization: Bearer`, and a site's key must never let its pages use
 * an admin's cookie. An unlisted origin gets no CORS headers, so browsers block it. A request
 * without Origin is not a cross-origin browser request, so there is nothing to decide.
 */
export function corsPolicy(deps: { adminOrigins: string[]; publishableKeys: PublishableKeyService }): RequestHandler {
  const policy = cors((req, callback) => {
    const origin = req.headers.origin;
    const answer = (allowed: boolean, credentials: boolean) => callback(null, { origin: allowed ? origin : false, credentials, maxAge: 600 });
    if (origin && deps.adminOrigins.includes(origin)) return answer(true, true);
    const value = publishableKeyOf(req as Parameters<typeof publishableKeyOf>[0]);
    if (!value) return answer(false, false);
    deps.publishableKeys.resolve(value).then(
      (key) => answer(key !== null && originAllowed(key, origin), false),
      (error: Error) => callback(error),
    );
  });
  return (req, res, next) => (req.headers.origin ? policy(req, res, next) : next());
}
