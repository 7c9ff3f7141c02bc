import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Runs middleware one after another as a single router layer. Every layer costs Express a dispatch
 * on each request, which adds up for the middleware in front of every request (logging, security
 * headers) and every API call (CORS, body, credentials, rate limit). Errors, thrown or rejected,
 * go to `next` as Express would send them.
 */
export function inSeries(handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let index = 0;
    const step = (error?: unknown): void => {
      const handler = handlers[index++];
      if (error || !handler) {
        next(error);
        return;
      }
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch(step);
      } catch (thrown) {
        step(thrown);
      }
    };
    step();
  };
}
