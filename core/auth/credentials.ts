import type { Db } from '../db/database.js';
import { execute, selectOne, selectRows } from '../db/database.js';
import { OsvError } from '../errors.js';
import { TtlCache } from '../ttl-cache.js';
import type { Counter } from 'prom-client';
import { verifyPasswordOrStandIn } from './passwords.js';
import type { Principal, Role } from './principal.js';
import { displayPrefix, generateToken, hashToken } from './tokens.js';

export interface ApiKeySummary {
  id: string;
  name: string;
  display_prefix: string;
  role: Role;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const SESSION_TTL_HOURS = 12;
/** How long a revoked key may still be honoured by another process's cache. */
const CREDENTIAL_CACHE_MS = 10_000;

type Resolved = Omit<Principal, 'tenantId'> | null;

/** Secret API keys, admin logins and sessions: turns a bearer token into a principal. */
export class CredentialService {
  private readonly cache = new TtlCache<string, Resolved>(CREDENTIAL_CACHE_MS);

  constructor(
    private readonly db: Db,
    /** Counts argon2 verifications at sign-in (unknown accounts included). */
    private readonly passwordChecks?: Counter,
  ) {}

  async createApiKey(tenantId: string, input: { name: string; role: Role }): Promise<{ key: ApiKeySummary; secret: string }> {
    const secret = generateToken('sk');
    const { rows } = await execute<ApiKeySummary>(
      this.db,
      `INSERT INTO api_keys (tenant_id, name, display_prefix, token_hash, role) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, name, display_prefix, role, created_at, last_used_at, revoked_at`,
      [tenantId, input.name, displayPrefix(secret), hashToken(secret), input.role],
    );
    return { key: rows[0]!, secret };
  }

  listApiKeys(tenantId: string): Promise<ApiKeySummary[]> {
    return selectRows<ApiKeySummary>(
      this.db,
      `SELECT id, name, display_prefix, role, created_at, last_used_at, revoked_at
       FROM api_keys WHERE tenant_id = $1 ORDER BY created_at`,
      [tenantId],
    );
  }

  async revokeApiKey(tenantId: string, keyId: string): Promise<void> {
    const { rows } = await execute<{ token_hash: string }>(
      this.db,
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING token_hash`,
      [tenantId, keyId],
    );
    if (!rows[0]) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such API key in this tenant');
    this.cache.delete(rows[0].token_hash);
  }

  /** Signs in; an unknown tenant (undefined) or email costs the same password work as a wrong password. */
  async login(tenantId: string | undefined, email: string, password: string): Promise<{ token: string; expiresAt: Date }> {
    const user = tenantId
      ? await selectOne<{ id: string; password_hash: string }>(
          this.db,
          'SELECT id, password_hash FROM admin_users WHERE tenant_id = $1 AND lower(email) = lower($2)',
          [tenantId, email],
        )
      : undefined;
    const verified = await verifyPasswordOrStandIn(user?.password_hash, password, this.passwordChecks);
    if (!user || !tenantId || !verified) throw new OsvError('OSV_ERR_BAD_CREDENTIALS');
    const token = generateToken('ses');
    const expiresAt = new Date(Date.now() + SESSION_TTL_HOURS * 3_600_000);
    await execute(
      this.db,
      'INSERT INTO admin_sessions (tenant_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)',
      [tenantId, user.id, hashToken(token), expiresAt],
    );
    return { token, expiresAt };
  }

  async logout(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await execute(this.db, 'DELETE FROM admin_sessions WHERE token_hash = $1', [tokenHash]);
    this.cache.delete(tokenHash);
  }

  /** Resolves a bearer token; unknown, expired and revoked tokens all resolve to null. */
  resolve(token: string): Promise<Resolved> {
    const tokenHash = hashToken(token);
    if (token.startsWith('sk_')) return this.cache.get(tokenHash, () => this.resolveApiKey(tokenHash));
    if (token.startsWith('ses_')) return this.cache.get(tokenHash, () => this.resolveSession(tokenHash));
    return Promise.resolve(null);
  }

  /** A read first: an unknown key costs no write; a known one records its use. */
  private async resolveApiKey(tokenHash: string): Promise<Resolved> {
    const key = await selectOne<{ id: string; tenant_id: string; role: Role }>(
      this.db,
      'SELECT id, tenant_id, role FROM api_keys WHERE token_hash = $1 AND revoked_at IS NULL',
      [tokenHash],
    );
    if (!key) return null;
    await execute(this.db, 'UPDATE api_keys SET last_used_at = now() WHERE id = $1', [key.id]);
    return { kind: 'api_key', homeTenantId: key.tenant_id, role: key.role, apiKeyId: key.id };
  }

  private async resolveSession(tokenHash: string): Promise<Resolved> {
    const session = await selectOne<{ user_id: string; tenant_id: string; role: Role }>(
      this.db,
      `SELECT s.user_id, s.tenant_id, u.role FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash],
    );
    return session ? { kind: 'user', homeTenantId: session.tenant_id, role: session.role, userId: session.user_id } : null;
  }
}
