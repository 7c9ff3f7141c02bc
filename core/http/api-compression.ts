import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

/** Smaller answers (most of the hot path: tokens, enroll results, errors) go out as they are. */
const THRESHOLD_BYTES = 1024;

/** Server-sent events must reach the browser as they are written, never held in a compressor's buffer. */
function isEventStream(req: Request, res: Response): boolean {
  const type = res.getHeader('Content-Type');
  return req.headers.accept === 'text/event-stream' || (typeof type === 'string' && type.startsWith('text/event-stream'));
}

/**
 * brotli or gzip for API answers of at least a kilobyte (catalog pages, lists), as the client
 * accepts. A client that accepts no encoding skips the compressor's wrapping of the response
 * altogether: servers calling the API often send no Accept-Encoding, and that path stays lean.
 */
export function apiCompression(): RequestHandler {
  const compress = compression({
    threshold: THRESHOLD_BYTES,
    filter: (req, res) => !isEventStream(req as Request, res as Response) && compression.filter(req, res),
  }) as RequestHandler;
  return (req, res, next) => (req.headers['accept-encoding'] ? compress(req, res, next) : next());
}
