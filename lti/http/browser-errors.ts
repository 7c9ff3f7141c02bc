import type { ErrorRequestHandler } from 'express';
import { errorCatalogue, OsvError } from '../../core/errors.js';
import { clientErrorOf } from '../../core/http/client-errors.js';
import type { Logger } from '../../core/logger.js';
import { errorPage } from '../pages/error-page.js';
import { sendPage } from '../pages/html.js';

/** The browser could not keep the state cookie: the launch can start again in a window of its own. */
export class StateCookieBlocked extends OsvError {
  constructor(readonly relaunchUrl: string) {
    super('OSV_ERR_LTI_STATE_COOKIE_MISSING', undefined, [{ field: 'relaunchUrl', issue: relaunchUrl }]);
  }
}

/**
 * Errors of the pages an LMS opens (login, launch, registration): a page a person can read, with
 * the stable code; JSON in the catalogue's shape for clients that ask for it.
 */
export function browserErrors(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = clientErrorOf(error);
    if (!known) (req.log ?? log).error({ err: error }, 'LTI page failed');
    const failure = known ?? new OsvError('OSV_ERR_INTERNAL');
    if (res.headersSent) {
      res.end();
      return;
    }
    // LTI failures describe what the LMS did (its answer to a registration, an unreachable key
    // set): worth showing. Anything else of status 5xx keeps the catalogue's message.
    const message = failure.status < 500 || failure.code.startsWith('OSV_ERR_LTI_') ? failure.message : errorCatalogue[failure.code].message;
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(failure.status).json({
        error: { code: failure.code, message, requestId: String(req.id ?? ''), ...(failure.details ? { details: failure.details } : {}) },
      });
      return;
    }
    const relaunchUrl = failure instanceof StateCookieBlocked ? failure.relaunchUrl : undefined;
    sendPage(res, failure.status, errorPage({ code: failure.code, message, status: failure.status }, relaunchUrl));
  };
}
