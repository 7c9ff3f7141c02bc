export const ROLES = ['owner', 'admin', 'instructor', 'learner'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, resolved once per request by the authentication middleware. */
export interface Principal {
  /** `user`: an admin-console account; `api_key`: a secret key; `member`: an end user with an access token. */
  kind: 'user' | 'api_key' | 'member';
  /** The tenant the request acts on (an owner may switch it with the `Osv-Tenant` header). */
  tenantId: string;
  /** The tenant the credential belongs to. */
  homeTenantId: string;
  role: Role;
  /** admin_users.id for `user`, users.id for `member`. */
  userId?: string;
  apiKeyId?: string;
  /** What a member's access token is narrowed to (widget tags, an LTI context…); empty: not narrowed. */
  scope?: string[];
}
