import type { Principal } from '../auth/principal.js';
import type { Logger } from '../logger.js';

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
      /** An anonymous request's `?tenant=` on a plugin route, once checked (see PluginRegistry.routes). */
      namedTenantId?: string;
      /**
       * The credential when it came from the session cookie rather than an Authorization header:
       * browsers attach cookies to other sites' requests, so such state changes need CSRF proof.
       */
      cookieCredential?: string;
      /** The body's bytes on routes declared with `rawBody: true` (core/http/raw-body.ts). */
      rawBody?: Buffer;
      /** Routes declared with `streamBody: true`: the body is left unread for the handler to stream. */
      streamBody?: boolean;
      /** Set by the request observer (core/http/request-observer.ts). */
      id: string;
      /** A logger bound to this request. */
      log: Logger;
    }
  }
}
