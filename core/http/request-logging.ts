import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Gives every request an id (a well-formed incoming X-Request-Id, otherwise a UUID), echoes it in
 * the response, offers `req.log`, and writes one line per request: failures and 5xx at error,
 * other 4xx at info, the rest at debug (not written at the production level).
 */
export function installRequestLogging(app: Express, log: Logger): void {
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      serializers: {
        req: (req: IncomingMessage & { id?: string; originalUrl?: string }) => ({
          id: req.id,
          method: req.method,
          url: (req.originalUrl ?? req.url ?? '').split('?')[0],
        }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
    }),
  );
}
