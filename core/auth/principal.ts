export const ROLES = ['owner', 'admin', 'instructor', 'learner'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, resolved once per request by the authentication middleware. */
export interface Principal {
  kind: 'user' | 'api_key';
  /** The tenant the request acts on (an owner may switch it with the `Osv-Tenant` header). */
  tenantId: string;
  /** The tenant the credential belongs to. */
  homeTenantId: string;
  role: Role;
  userId?: string;
  apiKeyId?: string;
}
