import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginContext } from '../../../../core/plugin-api.js';
import { createTenant, startTestPlatform, type TestPlatform } from '../../../../test/support/harness.js';
import { PostgresVectorStore } from '../postgres-vector-store.js';
import { QdrantVectorStore } from '../qdrant-vector-store.js';
import { vectorStoreContract, type VectorStoreFixture } from './vector-store-contract.js';
import { vectorTableHost } from './vector-table-host.js';

describe('PostgreSQL vector store', () => {
  let platform: TestPlatform;
  let db: PluginContext['db'];
  let fixture: VectorStoreFixture;

  beforeAll(async () => {
    platform = await startTestPlatform({ plugins: [vectorTableHost((handle) => (db = handle))] });
    const tenants = [(await createTenant(platform.kernel, 'vectors-a')).tenantId, (await createTenant(platform.kernel, 'vectors-b')).tenantId] as [string, string];
    fixture = { stores: [new PostgresVectorStore(db), new PostgresVectorStore(db)], tenants };
  });
  afterAll(() => platform?.close());

  vectorStoreContract(() => fixture);

  it('refuses a query of another size than the stored vectors', async () => {
    const scope = { tenantId: fixture.tenants[0], courseId: 'dims', model: 'm' };
    await fixture.stores[0].upsert(scope, [{ chunkId: randomUUID(), materialId: randomUUID(), vector: new Float32Array([1, 0, 0]) }]);
    await expect(fixture.stores[0].search(scope, new Float32Array([1, 0]), 3)).rejects.toThrow(/2 dimensions .* 3/);
  });

  it('keeps the vectors bit for bit', async () => {
    const scope = { tenantId: fixture.tenants[0], courseId: 'exact', model: 'm' };
    const vector = Float32Array.from({ length: 384 }, (_, i) => Math.sin(i) / 7);
    const chunkId = randomUUID();
    await fixture.stores[0].upsert(scope, [{ chunkId, materialId: randomUUID(), vector }]);
    const [hit] = await fixture.stores[1].search(scope, vector, 1);
    expect(hit).toEqual({ chunkId, score: expect.closeTo(1, 5) });
  });
});

const QDRANT_URL = process.env.QDRANT_URL;
const qdrantTitle = QDRANT_URL ? 'Qdrant vector store' : 'Qdrant vector store (skipped: set QDRANT_URL to a Qdrant server to run it; none is installed here)';

describe.skipIf(!QDRANT_URL)(qdrantTitle, () => {
  const prefix = `osv_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const settings = { url: QDRANT_URL!, apiKey: process.env.QDRANT_API_KEY, collectionPrefix: prefix };
  const fixture: VectorStoreFixture = { stores: [new QdrantVectorStore(settings), new QdrantVectorStore(settings)], tenants: [randomUUID(), randomUUID()] };

  vectorStoreContract(() => fixture);

  afterAll(async () => {
    const response = await fetch(new URL('/collections', QDRANT_URL), { headers: settings.apiKey ? { 'api-key': settings.apiKey } : {} });
    const { result } = (await response.json()) as { result: { collections: Array<{ name: string }> } };
    for (const { name } of result.collections.filter((collection) => collection.name.startsWith(prefix))) {
      await fetch(new URL(`/collections/${name}`, QDRANT_URL), { method: 'DELETE', headers: settings.apiKey ? { 'api-key': settings.apiKey } : {} });
    }
  });
});

describe('Qdrant vector store without a server', () => {
  it('reports itself unhealthy instead of throwing', async () => {
    expect(await new QdrantVectorStore({ url: 'http://127.0.0.1:9' }).healthy()).toBe(false);
  });
});
