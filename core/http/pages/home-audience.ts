import type { Request } from 'express';
import type { CredentialService } from '../../auth/credentials.js';
import type { Config } from '../../config.js';
import { sessionCookieOf } from '../authenticate.js';
import { isLocalDevelopment } from '../loopback.js';

/** The home page's details are for a developer on this machine, and for admins signed in with the session cookie. */
export function homeDetailsAudience(deps: { config: Config; credentials: CredentialService }): (req: Request) => Promise<boolean> {
  return async (req) => {
    if (isLocalDevelopment(deps.config, req)) return true;
    const session = sessionCookieOf(req);
    if (!session?.startsWith('ses_')) return false;
    const signedIn = await deps.credentials.resolve(session);
    return signedIn?.role === 'owner' || signedIn?.role === 'admin';
  };
}
