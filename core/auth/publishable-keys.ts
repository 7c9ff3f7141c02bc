import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { execute, selectOne, selectRows } from '../db/database.js';
import { OsvError } from '../errors.js';
import { TtlCache } from '../ttl-cache.js';

export interface PublishableKey {
  id: string;
  tenant_id: string;
  key: string;
  name: string;
  allowed_origins: string[];
  allowed_widgets: string[];
  created_at: string;
  revoked_at: string | null;
}

/** How long a revoked key may still be honoured by another process's cache. */
const CACHE_MS = 10_000;
const COLUMNS = 'id, tenant_id, key, name, allowed_origins, allowed_widgets, created_at, revoked_at';

/** `pk_…` keys a website puts in its HTML: which origins may use them and for which widgets. */
export class PublishableKeyService {
  private readonly cache = new TtlCache<string, PublishableKey | null>(CACHE_MS);

  constructor(private readonly db: Db) {}

  async create(tenantId: string, input: { name: string; allowedOrigins: string[]; allowedWidgets: string[] }): Promise<PublishableKey> {
    const { rows } = await execute<PublishableKey>(
      this.db,
      `INSERT INTO publishable_keys (tenant_id, key, name, allowed_origins, allowed_widgets) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${COLUMNS}`,
      [tenantId, `pk_${randomBytes(18).toString('base64url')}`, input.name, input.allowedOrigins, input.allowedWidgets],
    );
    return rows[0]!;
  }

  list(tenantId: string): Promise<PublishableKey[]> {
    return selectRows<PublishableKey>(this.db, `SELECT ${COLUMNS} FROM publishable_keys WHERE tenant_id = $1 ORDER BY created_at`, [tenantId]);
  }

  async revoke(tenantId: string, id: string): Promise<void> {
    const { rows } = await execute<{ key: string }>(
      this.db,
      'UPDATE publishable_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING key',
      [tenantId, id],
    );
    if (!rows[0]) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such publishable key in this tenant');
    this.cache.delete(rows[0].key);
  }

  /** The live key, or null when unknown or revoked. */
  resolve(key: string): Promise<PublishableKey | null> {
    if (!/^pk_[A-Za-z0-9_-]{10,64}$/.test(key)) return Promise.resolve(null);
    return this.cache.get(key, async () => {
      const row = await selectOne<PublishableKey>(this.db, `SELECT ${COLUMNS} FROM publishable_keys WHERE key = $1 AND revoked_at IS NULL`, [key]);
      return row ?? null;
    });
  }
}

/** Origins are compared exactly (scheme, host and port), as browsers send them. */
export function originAllowed(key: PublishableKey, origin: string | undefined): boolean {
  return origin === undefined || key.allowed_origins.includes(origin);
}
