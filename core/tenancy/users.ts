import type { Db, Transaction } from '../db/database.js';
import { execute, selectOne } from '../db/database.js';
import { OsvError } from '../errors.js';

export type MemberRole = 'admin' | 'instructor' | 'learner';

export interface User {
  id: string;
  tenant_id: string;
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  role: MemberRole;
}

export interface ExternalIdentity {
  /** Who vouches for the user: `lti:<issuer>`, `saml:<entity id>`, `site`. */
  issuer: string;
  /** The user's id at that issuer. */
  subject: string;
  email?: string | null;
  name?: string | null;
  role: MemberRole;
}

/** End users, created or refreshed from what their identity provider says at each sign-in. */
export class UserService {
  constructor(private readonly db: Db) {}

  async upsert(tenantId: string, identity: ExternalIdentity, transaction?: Transaction): Promise<User> {
    const { rows } = await execute<User>(
      this.db,
      `INSERT INTO users (tenant_id, issuer, subject, email, name, role) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, issuer, subject) DO UPDATE SET
         email = coalesce(EXCLUDED.email, users.email), name = coalesce(EXCLUDED.name, users.name),
         role = EXCLUDED.role, last_seen_at = now()
       RETURNING id, tenant_id, issuer, subject, email, name, role`,
      [tenantId, identity.issuer, identity.subject, identity.email ?? null, identity.name ?? null, identity.role],
      transaction,
    );
    return rows[0]!;
  }

  async get(tenantId: string, id: string, transaction?: Transaction): Promise<User> {
    const user = await selectOne<User>(
      this.db,
      'SELECT id, tenant_id, issuer, subject, email, name, role FROM users WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
      transaction,
    );
    if (!user) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such user in this tenant');
    return user;
  }
}
