import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';
import { OsvError } from '../errors.js';
import { isLocalDevelopment } from './loopback.js';

function bearerMatches(authorization: string | undefined, token: string): boolean {
  if (!authorization?.startsWith('Bearer ')) return false;
  const given = Buffer.from(authorization.slice(7).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `/metrics` tells how the service is used and what it runs on: it answers `Authorization:
 * Bearer <OSV_METRICS_TOKEN>`, and without the token only a developer on loopback outside production.
 */
export function metricsAccess(config: Pick<Config, 'NODE_ENV' | 'OSV_METRICS_TOKEN'>): RequestHandler {
  return (req, _res, next) => {
    const token = config.OSV_METRICS_TOKEN;
    if (token !== undefined && bearerMatches(req.headers.authorization, token)) return next();
    if (isLocalDevelopment(config, req)) return next();
    throw new OsvError(
      'OSV_ERR_UNAUTHENTICATED',
      token === undefined
        ? '/metrics needs OSV_METRICS_TOKEN to be set on the server and sent as Authorization: Bearer <token>'
        : '/metrics needs Authorization: Bearer <OSV_METRICS_TOKEN>',
    );
  };
}
