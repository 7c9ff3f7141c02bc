import type { PluginContext, Transaction } from '../../../core/plugin-api.js';
import { UnitMatrix, unitVector } from './vector-math.js';
import type { VectorHit, VectorItem, VectorScope, VectorStore } from './types.js';

type PluginDb = PluginContext['db'];

const VECTORS = 'ai_tutor_vectors';
const REVISIONS = 'ai_tutor_vector_revisions';
/** Rows per INSERT: a few MB of vectors per statement. */
const INSERT_BATCH = 1000;

/** One course's vectors of one model, as one row-major matrix of unit vectors. */
interface CourseMatrix {
  revision: string;
  chunkIds: string[];
  vectors: UnitMatrix;
}

/**
 * Exact cosine search over vectors kept in PostgreSQL (no extension needed). Each process loads a
 * course's vectors into memory once per revision and scores them all per query; a course of 100k
 * chunks of 384 dimensions is about 150 MB and one matrix-vector product.
 */
export class PostgresVectorStore implements VectorStore {
  readonly id = 'postgres';
  private readonly courses = new Map<string, CourseMatrix>();
  private readonly loading = new Map<string, Promise<CourseMatrix>>();

  constructor(private readonly db: PluginDb) {}

  async upsert(scope: VectorScope, items: VectorItem[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const tenant = this.db.forTenant(scope.tenantId);
      for (const materialId of new Set(items.map((item) => item.materialId))) {
        await tenant.query(`DELETE FROM ${VECTORS} WHERE tenant_id = $1 AND course_id = $2 AND model = $3 AND material_id = $4`, [scope.courseId, scope.model, materialId], tx);
      }
      for (let start = 0; start < items.length; start += INSERT_BATCH) {
        const batch = items.slice(start, start + INSERT_BATCH);
        // The one-row source keeps the statement bound to this tenant, as every scoped query is.
        await tenant.query(
          `INSERT INTO ${VECTORS} (tenant_id, course_id, model, material_id, chunk_id, vector)
           SELECT source.tenant_id, $2, $3, v.material_id, v.chunk_id, v.vector
             FROM (SELECT $1::uuid AS tenant_id) source, unnest($4::uuid[], $5::uuid[], $6::bytea[]) AS v(material_id, chunk_id, vector)
            WHERE source.tenant_id = $1
           ON CONFLICT (tenant_id, course_id, model, chunk_id) DO UPDATE SET material_id = EXCLUDED.material_id, vector = EXCLUDED.vector`,
          [scope.courseId, scope.model, batch.map((item) => item.materialId), batch.map((item) => item.chunkId), batch.map((item) => vectorBytes(item.vector))],
          tx,
        );
      }
      await this.bumpRevision(scope, tx);
    });
  }

  async deleteMaterial(scope: VectorScope, materialId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.db
        .forTenant(scope.tenantId)
        .query(`DELETE FROM ${VECTORS} WHERE tenant_id = $1 AND course_id = $2 AND model = $3 AND material_id = $4`, [scope.courseId, scope.model, materialId], tx);
      await this.bumpRevision(scope, tx);
    });
  }

  async search(scope: VectorScope, query: Float32Array, limit: number, signal?: AbortSignal): Promise<VectorHit[]> {
    const matrix = await this.matrix(scope);
    signal?.throwIfAborted();
    if (matrix.chunkIds.length === 0) return [];
    if (query.length !== matrix.vectors.dimensions) {
      throw new Error(`the query has ${query.length} dimensions but the course's ${scope.model} vectors have ${matrix.vectors.dimensions}`);
    }
    const best = await matrix.vectors.best(unitVector(query), limit);
    return best.map(({ row, score }) => ({ chunkId: matrix.chunkIds[row]!, score }));
  }

  async healthy(): Promise<boolean> {
    try {
      await this.db.sequelize.query(`SELECT 1 FROM ${REVISIONS} LIMIT 1`);
      return true;
    } catch {
      return false;
    }
  }

  private async bumpRevision(scope: VectorScope, tx: Transaction): Promise<void> {
    await this.db
      .forTenant(scope.tenantId)
      .query(
        `INSERT INTO ${REVISIONS} (tenant_id, course_id, model) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, course_id, model) DO UPDATE SET revision = ${REVISIONS}.revision + 1`,
        [scope.courseId, scope.model],
        tx,
      );
  }

  /** The in-memory copy of a course's vectors, reloaded when another writer changed them. */
  private async matrix(scope: VectorScope): Promise<CourseMatrix> {
    const key = JSON.stringify([scope.tenantId, scope.courseId, scope.model]);
    const [row] = await this.db
      .forTenant(scope.tenantId)
      .query<{ revision: string }>(`SELECT revision FROM ${REVISIONS} WHERE tenant_id = $1 AND course_id = $2 AND model = $3`, [scope.courseId, scope.model]);
    const revision = row?.revision ?? '0';
    const cached = this.courses.get(key);
    if (cached?.revision === revision) return cached;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const load = this.load(scope, revision).finally(() => this.loading.delete(key));
    this.loading.set(key, load);
    const matrix = await load;
    this.courses.set(key, matrix);
    return matrix;
  }

  private async load(scope: VectorScope, revision: string): Promise<CourseMatrix> {
    const rows = await this.db
      .forTenant(scope.tenantId)
      .query<{ chunk_id: string; vector: Buffer }>(`SELECT chunk_id, vector FROM ${VECTORS} WHERE tenant_id = $1 AND course_id = $2 AND model = $3 ORDER BY chunk_id`, [
        scope.courseId,
        scope.model,
      ]);
    const dimensions = rows[0] ? rows[0].vector.byteLength / 4 : 0;
    const values = new Float32Array(rows.length * dimensions);
    rows.forEach((stored, index) => {
      values.set(unitVector(new Float32Array(stored.vector.buffer.slice(stored.vector.byteOffset, stored.vector.byteOffset + stored.vector.byteLength))), index * dimensions);
    });
    return { revision, chunkIds: rows.map((stored) => stored.chunk_id), vectors: new UnitMatrix(rows.length, dimensions, values) };
  }
}

/** float32 in the machine's byte order, little-endian on every platform Node runs on (x64, arm64). */
function vectorBytes(vector: Float32Array): Buffer {
  return Buffer.from(Float32Array.from(vector).buffer);
}
