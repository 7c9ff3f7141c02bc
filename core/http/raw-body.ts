import express, { type RequestHandler } from 'express';

/**
 * Routes declared with `rawBody: true` (webhooks whose signature covers the exact bytes sent). The
 * app reads their bodies as bytes before the JSON parser, which then leaves them alone.
 */
export class RawBodyRoutes {
  private readonly routes: Array<{ method: string; pattern: RegExp }> = [];

  /** `fullPath` is an Express path such as `/api/v1/plugins/payments/webhooks/:provider`. */
  add(method: string, fullPath: string): void {
    const escaped = fullPath
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${escaped}/?$`) });
  }

  matches(method: string, path: string): boolean {
    return this.routes.some((route) => route.method === method && route.pattern.test(path));
  }

  /** Reads a matching request's body into `req.rawBody` (any content type, up to `limit`). */
  parser(limit: string): RequestHandler {
    const raw = express.raw({ type: () => true, limit });
    return (req, res, next) => {
      const path = req.originalUrl.split('?')[0] ?? '';
      if (!this.matches(req.method, path)) return next();
      raw(req, res, (error?: unknown) => {
        if (error) return next(error);
        req.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        req.body = undefined;
        next();
      });
    };
  }
}
