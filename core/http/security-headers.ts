import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * JSON API responses get the OWASP REST set: never cached, never framed, never sniffed as
 * something else. Helmet's page policies (CSP fetch directives, COOP, CORP…) govern documents and
 * subresources, which an API response is not, and would only add a kilobyte to every answer.
 */
const API_HEADERS: Array<[string, string]> = [
  ['Cache-Control', 'no-store'],
  ['Content-Security-Policy', "frame-ancestors 'none'"],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

function isApiPath(path: string): boolean {
  return path.startsWith('/api/') && !path.startsWith('/api/docs');
}

/** The API's header set under `/api` (its HTML reference aside), helmet's defaults for every page. */
export function securityHeaders(): RequestHandler {
  const pageHeaders = helmet();
  return (req, res, next) => {
    if (!isApiPath(req.url)) return pageHeaders(req, res, next);
    for (const [name, value] of API_HEADERS) res.setHeader(name, value);
    next();
  };
}
