import express, { type RequestHandler } from 'express';

/**
 * Routes declared with `rawBody: true` (webhooks whose signature covers the exact bytes sent) or
 * `streamBody: true` (uploads the handler streams itself). The app reads raw bodies as bytes before
 * the JSON parser and leaves streamed ones unread; the JSON parser then leaves both alone.
 */
export class RawBodyRoutes {
  private readonly routes: Array<{ method: string; pattern: RegExp; mode: 'bytes' | 'stream' }> = [];

  /** `fullPath` is an Express path such as `/api/v1/plugins/payments/webhooks/:provider`. */
  add(method: string, fullPath: string, mode: 'bytes' | 'stream' = 'bytes'): void {
    const escaped = fullPath
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${escaped}/?$`), mode });
  }

  matches(method: string, path: string): 'bytes' | 'stream' | undefined {
    return this.routes.find((route) => route.method === method && route.pattern.test(path))?.mode;
  }

  /** Reads a matching request's body into `req.rawBody` (any content type, up to `limit`). */
  parser(limit: string): RequestHandler {
    const raw = express.raw({ type: () => true, limit });
    return (req, res, next) => {
      const path = req.originalUrl.split('?')[0] ?? '';
      const mode = this.matches(req.method, path);
      if (!mode) return next();
      if (mode === 'stream') {
        req.streamBody = true;
        return next();
      }
      raw(req, res, (error?: unknown) => {
        if (error) return next(error);
        req.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        req.body = undefined;
        next();
      });
    };
  }
}
