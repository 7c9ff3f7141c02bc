/** `guest`: an anonymous visitor of a site that embeds osv with a publishable key. */
export const ROLES = ['owner', 'admin', 'instructor', 'learner', 'guest'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, resolved once per request by the authentication middleware. */
export interface Principal {
  /**
   * `user`: an admin-console account; `api_key`: a secret key; `member`: an end user with an access
   * token; `publishable`: an anonymous visitor through a site's publishable key.
   */
  kind: 'user' | 'api_key' | 'member' | 'publishable';
  /** The tenant the request acts on (an owner may switch it with the `Osv-Tenant` header). */
  tenantId: string;
  /** The tenant the credential belongs to. */
  homeTenantId: string;
  role: Role;
  /** admin_users.id for `user`, users.id for `member`. */
  userId?: string;
  apiKeyId?: string;
  publishableKeyId?: string;
  /** What the credential is narrowed to (widget tags, an LTI context…); empty: not narrowed. */
  scope?: string[];
  /** When a member signed in (LTI launch, embed-token exchange); refreshed tokens never outlive its absolute lifetime. */
  authTime?: Date;
}
