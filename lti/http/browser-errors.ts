import type { ErrorRequestHandler } from 'express';
import { errorCatalogue, OsvError } from '../../core/errors.js';
import { clientErrorOf } from '../../core/http/client-errors.js';
import type { Logger } from '../../core/logger.js';
import { errorPage } from '../pages/error-page.js';
import { sendPage } from '../pages/html.js';

/**
 * The browser could not keep the state cookie: the launch, validated, is parked under a one-time
 * handoff token that a window of its own redeems (no second login at the LMS).
 */
export class StateCookieBlocked extends OsvError {
  constructor(
    readonly handoff: { action: string; token: string },
    message?: string,
  ) {
    super('OSV_ERR_LTI_STATE_COOKIE_MISSING', message);
  }
}

/**
 * Errors of the pages an LMS opens (login, launch, registration): a page a person can read, with
 * the stable code; JSON in the catalogue's shape for clients that ask for it, and always for the
 * JSON documents (`options.json`).
 */
export function browserErrors(log: Logger, idTokenMaxBytes: number, options: { json?: boolean } = {}): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = fromBodyParser(error, req.baseUrl + req.path, idTokenMaxBytes) ?? clientErrorOf(error);
    if (!known) (req.log ?? log).error({ err: error }, 'LTI page failed');
    const failure = known ?? new OsvError('OSV_ERR_INTERNAL');
    if (res.headersSent) {
      res.end();
      return;
    }
    // LTI failures describe what the LMS did (its answer to a registration, an unreachable key
    // set): worth showing. Anything else of status 5xx keeps the catalogue's message.
    const message = failure.status < 500 || failure.code.startsWith('OSV_ERR_LTI_') ? failure.message : errorCatalogue[failure.code].message;
    if (options.json || req.accepts(['html', 'json']) === 'json') {
      res.status(failure.status).json({
        error: { code: failure.code, message, requestId: String(req.id ?? ''), ...(failure.details ? { details: failure.details } : {}) },
      });
      return;
    }
    const handoff = failure instanceof StateCookieBlocked ? failure.handoff : undefined;
    sendPage(res, failure.status, errorPage({ code: failure.code, message, status: failure.status }, handoff));
  };
}

export function tokenTooLarge(maxBytes: number): OsvError {
  return new OsvError('OSV_ERR_LTI_TOKEN_TOO_LARGE', `The id_token is larger than osv accepts (${Math.round(maxBytes / 1024)} KB)`);
}

/** The form parser's refusals (too large, too many fields, bad encoding), in the catalogue. */
function fromBodyParser(error: unknown, path: string, idTokenMaxBytes: number): OsvError | undefined {
  const type = (error as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string') return undefined;
  if (type === 'entity.too.large' || type === 'parameters.too.many') {
    return path === '/lti/launch' ? tokenTooLarge(idTokenMaxBytes) : new OsvError('OSV_ERR_PAYLOAD_TOO_LARGE', 'The LTI request is larger than osv accepts');
  }
  if (type.startsWith('entity.') || type.startsWith('request.') || type.endsWith('.unsupported')) {
    return new OsvError('OSV_ERR_LTI_BAD_REQUEST', 'The LTI request form could not be read');
  }
  return undefined;
}
