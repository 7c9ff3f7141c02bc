import { OsvError, type Principal } from '../../../core/plugin-api.js';

/** Enrolling and progress belong to end users: a member's access token (users.id), not an API key. */
export function memberOf(principal: Principal | undefined): { tenantId: string; userId: string } {
  if (principal?.kind !== 'member' || !principal.userId) {
    throw new OsvError('OSV_ERR_FORBIDDEN', "This action needs a member's access token (from POST /api/v1/auth/embed-token or an LTI launch)");
  }
  return { tenantId: principal.tenantId, userId: principal.userId };
}

/** `es-MX,es;q=0.9,en;q=0.8` → `es`, when we have templates for it. */
export function preferredLocale(acceptLanguage: string | undefined, supported: readonly string[]): string | null {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const language = part.split(';')[0]?.trim().slice(0, 2).toLowerCase();
    if (language && supported.includes(language)) return language;
  }
  return null;
}
