import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/passwords.js';
import type { Role } from '../auth/principal.js';
import type { Db, Transaction } from '../db/database.js';
import { execute, selectOne, selectRows } from '../db/database.js';
import { OsvError } from '../errors.js';
import { TtlCache } from '../ttl-cache.js';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  created_at: string;
}

export interface AdminUser {
  id: string;
  tenant_id: string;
  email: string;
  role: Role;
  created_at: string;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { original?: { code?: string } })?.original?.code === '23505';
}

/** Tenants are never renamed or removed, so a loaded tenant can be served from memory. */
const TENANT_CACHE_MS = 60_000;

export class TenantService {
  private readonly cache = new TtlCache<string, Tenant>(TENANT_CACHE_MS);

  constructor(private readonly db: Db) {}

  async create(input: { slug: string; name: string }, transaction?: Transaction): Promise<Tenant> {
    try {
      const { rows } = await execute<Tenant>(
        this.db,
        'INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING *',
        [input.slug, input.name],
        transaction,
      );
      return rows[0]!;
    } catch (error) {
      if (isUniqueViolation(error)) throw new OsvError('OSV_ERR_CONFLICT', `A tenant with slug "${input.slug}" already exists`);
      throw error;
    }
  }

  list(transaction?: Transaction): Promise<Tenant[]> {
    return selectRows<Tenant>(this.db, 'SELECT * FROM tenants ORDER BY created_at, slug', [], transaction);
  }

  /** A tenant by id or slug; unknown ones fail with OSV_ERR_TENANT_NOT_FOUND and are not cached. */
  get(idOrSlug: string): Promise<Tenant> {
    return this.cache.get(idOrSlug, () => this.load(idOrSlug));
  }

  private async load(idOrSlug: string): Promise<Tenant> {
    const column = /^[0-9a-f-]{36}$/i.test(idOrSlug) ? 'id' : 'slug';
    const tenant = await selectOne<Tenant>(this.db, `SELECT * FROM tenants WHERE ${column} = $1`, [idOrSlug]);
    if (!tenant) throw new OsvError('OSV_ERR_TENANT_NOT_FOUND', `No tenant "${idOrSlug}"`);
    return tenant;
  }

  async count(): Promise<number> {
    const row = await selectOne<{ count: string }>(this.db, 'SELECT count(*) AS count FROM tenants');
    return Number(row?.count ?? 0);
  }

  async createUser(
    tenantId: string,
    input: { email: string; role: Role; password?: string },
    transaction?: Transaction,
  ): Promise<{ user: AdminUser; password: string }> {
    const password = input.password ?? randomBytes(18).toString('base64url');
    try {
      const { rows } = await execute<AdminUser>(
        this.db,
        `INSERT INTO admin_users (tenant_id, email, password_hash, role) VALUES ($1, $2, $3, $4)
         RETURNING id, tenant_id, email, role, created_at`,
        [tenantId, input.email, await hashPassword(password), input.role],
        transaction,
      );
      return { user: rows[0]!, password };
    } catch (error) {
      if (isUniqueViolation(error)) throw new OsvError('OSV_ERR_CONFLICT', `An account for ${input.email} already exists`);
      throw error;
    }
  }

  listUsers(tenantId: string): Promise<AdminUser[]> {
    return selectRows<AdminUser>(
      this.db,
      'SELECT id, tenant_id, email, role, created_at FROM admin_users WHERE tenant_id = $1 ORDER BY email',
      [tenantId],
    );
  }
}
