import type { PublishableKeyService } from '../auth/publishable-keys.js';
import type { UserService } from '../tenancy/users.js';

/** An end user as their identity provider described them (`principal.userId` of a member). */
export interface PlatformUser {
  id: string;
  email: string | null;
  name: string | null;
  role: string;
}

/** Read-only facts about the platform and a tenant that plugins need but do not own. */
export interface PlatformFacts {
  /** Where this osv is reachable (PUBLIC_URL). */
  readonly publicUrl: string;
  /** Origins the tenant's pages may live on: PUBLIC_URL's and its live publishable keys' allowed origins. */
  trustedOrigins(tenantId: string): Promise<string[]>;
  user(tenantId: string, userId: string): Promise<PlatformUser | undefined>;
}

export function platformFacts(deps: { publicUrl: string; publishableKeys: PublishableKeyService; users: UserService }): PlatformFacts {
  return {
    publicUrl: deps.publicUrl,
    async trustedOrigins(tenantId) {
      const keys = await deps.publishableKeys.list(tenantId);
      const origins = keys.filter((key) => key.revoked_at === null).flatMap((key) => key.allowed_origins);
      return [...new Set([new URL(deps.publicUrl).origin, ...origins])];
    },
    async user(tenantId, userId) {
      const user = await deps.users.get(tenantId, userId).catch(() => undefined);
      return user && { id: user.id, email: user.email, name: user.name, role: user.role };
    },
  };
}
