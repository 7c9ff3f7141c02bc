import type { Principal } from '../auth/principal.js';
import type { Logger } from '../logger.js';

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
      /** Set by the request logging middleware (core/http/request-logging.ts). */
      id: string;
      /** A logger bound to this request. */
      log: Logger;
    }
  }
}
