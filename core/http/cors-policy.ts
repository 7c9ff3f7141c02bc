import cors from 'cors';
import type { RequestHandler } from 'express';
import { originAllowed, type PublishableKeyService } from '../auth/publishable-keys.js';
import { publishableKeyOf } from './authenticate.js';

/**
 * CORS for the API: the admin origins from configuration, plus — per request — the origins that
 * the request's publishable key allows. An unlisted origin gets no CORS headers, so browsers block it.
 * A request without Origin is not a cross-origin browser request, so there is nothing to decide.
 *
 * A request that names a publishable key the API refuses (unknown, revoked, or not for this site)
 * is answered readably, without credentials: authentication refuses it with no data, and the
 * widget can show why instead of a network failure.
 */
export function corsPolicy(deps: { adminOrigins: string[]; publishableKeys: PublishableKeyService }): RequestHandler {
  const policy = cors((req, callback) => {
    const origin = req.headers.origin;
    const answer = (allowed: string | false, credentials: boolean) => callback(null, { origin: allowed, credentials, maxAge: 600 });
    if (!origin || deps.adminOrigins.includes(origin)) return answer(origin ?? false, true);
    const value = publishableKeyOf(req as Parameters<typeof publishableKeyOf>[0]);
    if (!value) return answer(false, true);
    deps.publishableKeys.resolve(value).then(
      (key) => (key !== null && originAllowed(key, origin) ? answer(origin, true) : answer(origin, false)),
      (error: Error) => callback(error),
    );
  });
  return (req, res, next) => (req.headers.origin ? policy(req, res, next) : next());
}
