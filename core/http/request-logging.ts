import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, RequestHandler } from 'express';
import type { Logger } from '../logger.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

type Level = 'error' | 'info' | 'debug';

/** Failures and 5xx at error, other 4xx at info, the rest at debug (not written in production). */
function levelFor(statusCode: number, error: Error | undefined): Level {
  if (error || statusCode >= 500) return 'error';
  return statusCode >= 400 ? 'info' : 'debug';
}

const serializers = {
  req: (req: IncomingMessage & { id?: string; originalUrl?: string }) => ({
    id: req.id,
    method: req.method,
    url: (req.originalUrl ?? req.url ?? '').split('?')[0],
  }),
  res: (res: ServerResponse) => ({ statusCode: res.headersSent ? res.statusCode : null }),
};

/**
 * Gives every request an id (a well-formed incoming X-Request-Id, otherwise a UUID), echoes it in
 * the response, offers `req.log` (bound to the request), and writes one line when the response
 * completes, is aborted or fails. The per-request logger is only built when something uses it, so
 * requests whose line is below the log level cost no logging work.
 */
export function installRequestLogging(app: Express, log: Logger): void {
  const httpLog = log.child({}, { serializers });
  const requestLogs = new WeakMap<Request, Logger>();
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request): Logger {
      let requestLog = requestLogs.get(this);
      if (!requestLog) {
        requestLog = httpLog.child({ req: this });
        requestLogs.set(this, requestLog);
      }
      return requestLog;
    },
  });
  app.use(logRequests(httpLog));
}

function logRequests(httpLog: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const startedAt = Date.now();

    const onEnd = (error?: Error) => {
      res.off('finish', onEnd);
      res.off('close', onEnd);
      res.off('error', onEnd);
      const level = levelFor(res.statusCode, error);
      if (!httpLog.isLevelEnabled(level)) return;
      const responseTime = Date.now() - startedAt;
      if (level === 'error') {
        const err = error ?? new Error(`failed with status code ${res.statusCode}`);
        req.log.error({ res, err, responseTime }, 'request errored');
      } else {
        const completed = !req.readableAborted && res.writableEnded;
        req.log[level]({ res, responseTime }, completed ? 'request completed' : 'request aborted');
      }
    };
    res.on('finish', onEnd);
    res.on('close', onEnd);
    res.on('error', onEnd);
    next();
  };
}
