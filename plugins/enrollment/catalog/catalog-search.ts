import { createHash, randomBytes } from 'node:crypto';
import type { CatalogPage } from '../../../widgets/src/api-types.js';
import type { PluginContext } from '../../../core/plugin-api.js';
import { OsvError } from '../../../core/plugin-api.js';
import { TABLES } from '../rows.js';
import { type CatalogFields, toCatalogCourse } from './wire.js';

/** Cached pages live this long at most; any change to the catalog retires them at once anyway. */
const PAGE_TTL_SECONDS = 300;
const GENERATION_TTL_SECONDS = 7 * 24 * 3600;
const MAX_TERMS = 8;

export interface CatalogQuery {
  q?: string;
  limit: number;
  cursor?: string;
}

type CachedRow = Omit<CatalogFields, 'seats_taken'>;

/** Search words: letters and digits of any script, lower case, at most a few. */
export function searchTerms(q: string | undefined): string[] {
  return [...new Set((q ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, MAX_TERMS);
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const offset = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0 || offset > 100_000) {
    throw new OsvError('OSV_ERR_VALIDATION', 'query.cursor: not a cursor this API returned', [{ field: 'query.cursor', issue: 'not a cursor this API returned' }]);
  }
  return offset;
}

const encodeCursor = (offset: number) => Buffer.from(String(offset)).toString('base64url');

const COLUMNS = 'id, slug, title, summary, status, price_cents, currency, seat_limit, enrollment_opens_at, enrollment_closes_at';

/**
 * Published courses, ranked by full-text relevance when there is a query. Any word may match
 * (OR), each as a prefix (type-ahead) or by its English stem. Ranked pages are cached per tenant
 * under a generation that every catalog change replaces; seat counts are always read live.
 */
export class CatalogSearch {
  constructor(private readonly ctx: PluginContext) {}

  async page(tenantId: string, query: CatalogQuery): Promise<CatalogPage> {
    const offset = decodeCursor(query.cursor);
    const terms = searchTerms(query.q);
    const generation = await this.generation(tenantId);
    const key = `catalog:${tenantId}:${generation}:${createHash('sha1').update(JSON.stringify([terms, query.limit, offset])).digest('base64url')}`;
    let cached = await this.ctx.cache.get<{ rows: CachedRow[]; more: boolean }>(key);
    if (!cached) {
      cached = await this.search(tenantId, terms, query.limit, offset);
      await this.ctx.cache.set(key, cached, PAGE_TTL_SECONDS);
    }
    const seats = await this.seatsTaken(tenantId, cached.rows);
    const now = new Date();
    return {
      items: cached.rows.map((row) =>
        toCatalogCourse(
          {
            ...row,
            enrollment_opens_at: row.enrollment_opens_at && new Date(row.enrollment_opens_at),
            enrollment_closes_at: row.enrollment_closes_at && new Date(row.enrollment_closes_at),
            seats_taken: seats.get(row.id) ?? 0,
          },
          now,
        ),
      ),
      nextCursor: cached.more ? encodeCursor(offset + query.limit) : null,
    };
  }

  /** Retires every cached page of the tenant; call after the change committed. */
  async invalidate(tenantId: string): Promise<void> {
    await this.ctx.cache.delete(`catalog-generation:${tenantId}`);
  }

  private async generation(tenantId: string): Promise<string> {
    const key = `catalog-generation:${tenantId}`;
    const current = await this.ctx.cache.get<string>(key);
    if (current) return current;
    const fresh = randomBytes(6).toString('base64url');
    await this.ctx.cache.set(key, fresh, GENERATION_TTL_SECONDS);
    return fresh;
  }

  private async search(tenantId: string, terms: string[], limit: number, offset: number): Promise<{ rows: CachedRow[]; more: boolean }> {
    const scope = this.ctx.db.forTenant(tenantId);
    const rows =
      terms.length === 0
        ? await scope.query<CachedRow>(
            `SELECT ${COLUMNS} FROM ${TABLES.courses} WHERE tenant_id = $1 AND status = 'published'
             ORDER BY title, id LIMIT $2 OFFSET $3`,
            [limit + 1, offset],
          )
        : await scope.query<CachedRow>(
            `SELECT ${COLUMNS} FROM ${TABLES.courses}
             WHERE tenant_id = $1 AND status = 'published' AND search @@ (to_tsquery('simple', $2) || to_tsquery('english', $3))
             ORDER BY ts_rank(search, to_tsquery('simple', $2) || to_tsquery('english', $3)) DESC, title, id LIMIT $4 OFFSET $5`,
            [terms.map((term) => `${term}:*`).join(' | '), terms.join(' | '), limit + 1, offset],
          );
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  private async seatsTaken(tenantId: string, rows: CachedRow[]): Promise<Map<string, number>> {
    const limited = rows.filter((row) => row.seat_limit !== null).map((row) => row.id);
    if (limited.length === 0) return new Map();
    const counts = await this.ctx.db
      .forTenant(tenantId)
      .query<{ id: string; seats_taken: number }>(`SELECT id, seats_taken FROM ${TABLES.courses} WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [limited]);
    return new Map(counts.map((row) => [row.id, row.seats_taken]));
  }
}
