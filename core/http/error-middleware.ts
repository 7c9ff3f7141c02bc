import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorCatalogue, isOsvError, OsvError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Maps body-parser's failures onto the catalogue so clients see one error shape. */
function fromBodyParser(error: { type?: string }): OsvError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new OsvError('OSV_ERR_BAD_JSON');
    case 'entity.too.large':
      return new OsvError('OSV_ERR_PAYLOAD_TOO_LARGE');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new OsvError('OSV_ERR_UNSUPPORTED_MEDIA_TYPE');
    default:
      return undefined;
  }
}

export const notFound: RequestHandler = (req) => {
  throw new OsvError('OSV_ERR_NOT_FOUND', `No route for ${req.method} ${req.path}`);
};

/** The one error middleware: 4xx say what was wrong; 5xx bodies never carry internals. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = isOsvError(error) ? error : fromBodyParser(error);
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
