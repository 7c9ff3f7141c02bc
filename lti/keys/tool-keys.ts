import { randomBytes } from 'node:crypto';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import { type Db, selectOne, type Transaction } from '../../core/db/database.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import { OsvError } from '../../core/errors.js';
import { decryptText, encryptText } from '../../core/secrets.js';
import { TtlCache } from '../../core/ttl-cache.js';
import { isUniqueViolation } from '../sql-errors.js';

export interface ToolKeyRow {
  kid: string;
  tenant_id: string;
  public_jwk: JWK;
  private_key_sealed: string;
  status: 'active' | 'retiring' | 'revoked';
  created_at: string;
  retires_at: string | null;
  revoked_at: string | null;
}

export type ToolKeySummary = Omit<ToolKeyRow, 'private_key_sealed' | 'public_jwk'> & { published: boolean };

const PUBLISHED = `(status = 'active' OR (status = 'retiring' AND retires_at > now()))`;

/**
 * The tool's RS256 signing keys, per tenant: one active key signs; after a rotation the previous
 * key stays published until its overlap ends; a revoked key is unpublished and unusable at once.
 * Private keys are sealed with the platform encryption key (AES-256-GCM).
 */
export class ToolKeyStore {
  private readonly activeKids = new TtlCache<string, string>(30_000);

  constructor(
    private readonly db: Db,
    private readonly encryptionKey: Buffer,
  ) {}

  /** The kid that signs for the tenant now, minting the tenant's first key when it has none. */
  activeKid(tenantId: string): Promise<string> {
    return this.activeKids.get(tenantId, async () => (await this.ensureActive(tenantId)).kid);
  }

  async ensureActive(tenantId: string, transaction?: Transaction): Promise<ToolKeyRow> {
    const scope = new TenantScope(this.db, tenantId);
    const active = await scope.findOne<ToolKeyRow>('lti_tool_keys', { status: 'active' }, transaction);
    if (active) return active;
    const minted = await this.mint();
    try {
      return await scope.insert<ToolKeyRow>('lti_tool_keys', { ...minted, status: 'active' }, transaction);
    } catch (error) {
      // Another process minted the tenant's first key at the same moment: the unique index kept one.
      if (transaction || !isUniqueViolation(error)) throw error;
      return (await scope.findOne<ToolKeyRow>('lti_tool_keys', { status: 'active' }))!;
    }
  }

  /** A new active key; the previous one stays published for `overlapMinutes`. */
  async rotate(tenantId: string, overlapMinutes: number): Promise<ToolKeyRow> {
    const minted = await this.mint();
    const scope = new TenantScope(this.db, tenantId);
    const created = await this.db.transaction(async (tx) => {
      await scope.query(`SELECT kid FROM lti_tool_keys WHERE tenant_id = $1 AND status = 'active' FOR UPDATE`, [], tx);
      await scope.query(
        `UPDATE lti_tool_keys SET status = 'retiring', retires_at = now() + make_interval(mins => $2::int)
         WHERE tenant_id = $1 AND status = 'active'`,
        [overlapMinutes],
        tx,
      );
      return scope.insert<ToolKeyRow>('lti_tool_keys', { ...minted, status: 'active' }, tx);
    });
    this.activeKids.delete(tenantId);
    return created;
  }

  /** Unpublished and unusable at once; revoking the active key makes a new one active. */
  async revoke(tenantId: string, kid: string): Promise<void> {
    const scope = new TenantScope(this.db, tenantId);
    await this.db.transaction(async (tx) => {
      const [key] = await scope.query<Pick<ToolKeyRow, 'status'>>(
        'SELECT status FROM lti_tool_keys WHERE tenant_id = $1 AND kid = $2 FOR UPDATE',
        [kid],
        tx,
      );
      if (!key) throw new OsvError('OSV_ERR_NOT_FOUND', `No key ${kid} in this tenant`);
      if (key.status === 'revoked') return;
      await scope.update('lti_tool_keys', { kid }, { status: 'revoked', revoked_at: new Date() }, tx);
      if (key.status === 'active') await this.ensureActive(tenantId, tx);
    });
    this.activeKids.delete(tenantId);
  }

  async list(tenantId: string): Promise<ToolKeySummary[]> {
    const rows = await new TenantScope(this.db, tenantId).query<ToolKeyRow & { published: boolean }>(
      `SELECT *, ${PUBLISHED} AS published FROM lti_tool_keys WHERE tenant_id = $1 ORDER BY created_at DESC`,
    );
    return rows.map(({ private_key_sealed: _sealed, public_jwk: _jwk, ...summary }) => summary);
  }

  /** The JWKS platforms fetch: the active key and those still in their overlap. Never cached here. */
  async publicKeySet(tenantId: string): Promise<{ keys: JWK[] }> {
    await this.ensureActive(tenantId);
    const rows = await new TenantScope(this.db, tenantId).query<Pick<ToolKeyRow, 'public_jwk'>>(
      `SELECT public_jwk FROM lti_tool_keys WHERE tenant_id = $1 AND ${PUBLISHED} ORDER BY created_at DESC`,
    );
    return { keys: rows.map((row) => row.public_jwk) };
  }

  /**
   * The PEM private key of a published key (signing with a retiring key is allowed: work queued
   * before a rotation may finish). Looked up by kid alone, which is unique across tenants,
   * because that is all the LTI engine hands over.
   */
  async privateKeyPem(kid: string): Promise<{ pem: string; tenantId: string }> {
    const row = await selectOne<ToolKeyRow>(this.db, `SELECT * FROM lti_tool_keys WHERE kid = $1 AND ${PUBLISHED}`, [kid]);
    if (!row) throw new Error(`LTI signing key ${kid} is revoked or unknown`);
    return { pem: decryptText(this.encryptionKey, row.private_key_sealed), tenantId: row.tenant_id };
  }

  /**
   * Start-up check: a key sealed under another OSV_ENCRYPTION_KEY cannot sign anything, and would
   * only surface later as failing grade posts. Refuse to start instead, and say why.
   */
  async verifyEncryptionKey(): Promise<void> {
    const newest = await selectOne<ToolKeyRow>(
      this.db,
      `SELECT kid, private_key_sealed FROM lti_tool_keys WHERE status <> 'revoked' ORDER BY created_at DESC LIMIT 1`,
    );
    if (!newest) return;
    try {
      decryptText(this.encryptionKey, newest.private_key_sealed);
    } catch {
      throw new Error(
        `LTI tool key ${newest.kid} cannot be decrypted: OSV_ENCRYPTION_KEY is not the key it was stored with. ` +
          'Restore the previous OSV_ENCRYPTION_KEY (or the secrets.json of the data directory); do not delete the keys, LMSs trust them.',
      );
    }
  }

  private async mint(): Promise<Pick<ToolKeyRow, 'kid' | 'private_key_sealed'> & { public_jwk: string }> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    // Dated kids tell admins and LMS logs which generation a signature used.
    const kid = `${new Date().toISOString().slice(0, 10)}-${randomBytes(6).toString('hex')}`;
    const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return { kid, public_jwk: JSON.stringify(publicJwk), private_key_sealed: encryptText(this.encryptionKey, await exportPKCS8(privateKey)) };
  }
}

