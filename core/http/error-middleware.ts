import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorCatalogue, OsvError } from '../errors.js';
import type { Logger } from '../logger.js';
import { clientErrorOf } from './client-errors.js';

export const notFound: RequestHandler = (req) => {
  throw new OsvError('OSV_ERR_NOT_FOUND', `No route for ${req.method} ${req.path}`);
};

/** The one error middleware: 4xx say what was wrong; 5xx bodies never carry internals. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = clientErrorOf(error);
    const requestId = String(req.id ?? '');
    if (!known) {
      (req.log ?? log).error({ err: error, requestId }, 'unhandled error');
    }
    const failure = known ?? new OsvError('OSV_ERR_INTERNAL');
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(failure.status).json({
      error: {
        code: failure.code,
        message: failure.status >= 500 ? errorCatalogue[failure.code].message : failure.message,
        requestId,
        ...(failure.details ? { details: failure.details } : {}),
      },
    });
  };
}
