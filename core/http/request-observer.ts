import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

type LogLevel = 'error' | 'info' | 'debug';

function levelFor(status: number): LogLevel {
  return status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
}

/** The matched route pattern, never the raw URL, so metric labels stay bounded. */
function routeLabel(req: Request): string {
  return req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
}

/**
 * Gives every request an id (a well-formed incoming X-Request-Id, otherwise a UUID) echoed in the
 * response, offers `req.log`, and once the response is sent records its duration in the HTTP
 * histogram and writes one line: 5xx at error, other 4xx at info, the rest at debug.
 *
 * `req.log` is created on first use: most requests never log, and a pino child per request
 * would cost more than the rest of a cached read.
 */
export function requestObserver(app: Express, log: Logger, metrics: Metrics): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request & { childLog?: Logger }) {
      this.childLog ??= log.child({ reqId: this.id });
      return this.childLog;
    },
  });
  return observe(log, metrics);
}

function observe(log: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    req.id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    res.once('finish', () => finished(req, res, (performance.now() - started) / 1000));
    next();
  };

  function finished(req: Request, res: Response, seconds: number): void {
    const status = res.statusCode;
    metrics.httpDuration.observe({ method: req.method, route: routeLabel(req), status: String(status) }, seconds);
    const level = levelFor(status);
    if (!log.isLevelEnabled(level)) return;
    log[level](
      {
        reqId: req.id,
        req: { method: req.method, url: req.originalUrl.split('?')[0] },
        res: { statusCode: status },
        responseTime: Math.round(seconds * 1000),
      },
      'request completed',
    );
  }
}
