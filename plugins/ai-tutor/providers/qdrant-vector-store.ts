import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import type { VectorHit, VectorItem, VectorScope, VectorStore } from './types.js';

const UPSERT_BATCH = 256;
const SCOPE_FIELDS = ['tenant_id', 'course_id', 'model', 'material_id'] as const;

/**
 * Vectors in Qdrant: one collection per vector size (`<prefix>_<dimensions>`, cosine distance),
 * every point carrying its tenant, course, model and material, and every search filtered by them.
 */
export class QdrantVectorStore implements VectorStore {
  readonly id = 'qdrant';
  private readonly client: QdrantClient;
  private readonly prefix: string;
  private readonly ready = new Map<number, Promise<void>>();

  constructor(settings: { url: string; apiKey?: string; collectionPrefix?: string }) {
    this.client = new QdrantClient({ url: settings.url, apiKey: settings.apiKey, timeout: 30_000, checkCompatibility: false });
    this.prefix = settings.collectionPrefix ?? 'osv_chunks';
  }

  async upsert(scope: VectorScope, items: VectorItem[]): Promise<void> {
    if (items.length === 0) return;
    const collection = await this.collection(items[0]!.vector.length);
    for (const materialId of new Set(items.map((item) => item.materialId))) {
      await this.client.delete(collection, { wait: true, filter: this.filter(scope, materialId) });
    }
    for (let start = 0; start < items.length; start += UPSERT_BATCH) {
      const points = items.slice(start, start + UPSERT_BATCH).map((item) => ({
        id: pointId(scope, item.chunkId),
        vector: Array.from(item.vector),
        payload: { tenant_id: scope.tenantId, course_id: scope.courseId, model: scope.model, material_id: item.materialId, chunk_id: item.chunkId },
      }));
      await this.client.upsert(collection, { wait: true, points });
    }
  }

  async deleteMaterial(scope: VectorScope, materialId: string): Promise<void> {
    for (const collection of await this.collections()) {
      await this.client.delete(collection, { wait: true, filter: this.filter(scope, materialId) });
    }
  }

  async search(scope: VectorScope, query: Float32Array, limit: number): Promise<VectorHit[]> {
    const collection = this.collectionName(query.length);
    if (!(await this.client.collectionExists(collection)).exists) return [];
    const hits = await this.client.search(collection, { vector: Array.from(query), limit, filter: this.filter(scope), with_payload: ['chunk_id'] });
    return hits.map((hit) => ({ chunkId: String(hit.payload?.chunk_id), score: hit.score }));
  }

  async healthy(): Promise<boolean> {
    try {
      await this.client.getCollections();
      return true;
    } catch {
      return false;
    }
  }

  private filter(scope: VectorScope, materialId?: string) {
    const must = [
      { key: 'tenant_id', match: { value: scope.tenantId } },
      { key: 'course_id', match: { value: scope.courseId } },
      { key: 'model', match: { value: scope.model } },
    ];
    if (materialId) must.push({ key: 'material_id', match: { value: materialId } });
    return { must };
  }

  private collectionName(dimensions: number): string {
    return `${this.prefix}_${dimensions}`;
  }

  private async collections(): Promise<string[]> {
    const { collections } = await this.client.getCollections();
    return collections.map((collection) => collection.name).filter((name) => new RegExp(`^${this.prefix}_\\d+$`).test(name));
  }

  /** Creates the collection and its payload indexes the first time a vector of this size arrives. */
  private async collection(dimensions: number): Promise<string> {
    const name = this.collectionName(dimensions);
    let ready = this.ready.get(dimensions);
    if (!ready) {
      ready = (async () => {
        if ((await this.client.collectionExists(name)).exists) return;
        await this.client.createCollection(name, { vectors: { size: dimensions, distance: 'Cosine' } });
        for (const field of SCOPE_FIELDS) await this.client.createPayloadIndex(name, { field_name: field, field_schema: 'keyword', wait: true });
      })();
      this.ready.set(dimensions, ready);
      ready.catch(() => this.ready.delete(dimensions));
    }
    await ready;
    return name;
  }
}

/** Qdrant takes UUIDs as point ids; one chunk has one point per tenant, course and model. */
function pointId(scope: VectorScope, chunkId: string): string {
  const hex = createHash('sha256').update(JSON.stringify([scope.tenantId, scope.courseId, scope.model, chunkId])).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
