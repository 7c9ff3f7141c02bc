import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { VectorScope, VectorStore } from '../types.js';

export interface VectorStoreFixture {
  /** Two stores over the same data, as two processes of one deployment would have. */
  stores: [VectorStore, VectorStore];
  /** Two tenants that exist. */
  tenants: [string, string];
}

const DIMENSIONS = 8;

/** A unit vector along axis `axis`, leaning a little towards `towards`. */
function direction(axis: number, towards = (axis + 1) % DIMENSIONS, lean = 0.2): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  vector[axis] = 1;
  vector[towards]! += lean;
  return vector;
}

/** What every vector store promises the tutor. */
export function vectorStoreContract(fixture: () => VectorStoreFixture): void {
  const scopeOf = (tenantId: string, model = 'model-a'): VectorScope => ({ tenantId, courseId: `course-${randomUUID()}`, model });

  it('finds the closest vectors first, with cosine scores, up to the limit', async () => {
    const [store] = fixture().stores;
    const scope = scopeOf(fixture().tenants[0]);
    const material = randomUUID();
    const chunks = Array.from({ length: 6 }, () => randomUUID());
    // Unnormalised on purpose: the score is the cosine, whatever the vectors' lengths.
    await store.upsert(scope, chunks.map((chunkId, axis) => ({ chunkId, materialId: material, vector: direction(axis).map((value) => value * (axis + 1)) })));
    const hits = await store.search(scope, direction(2, 3, 0.1), 3);
    expect(hits.map((hit) => hit.chunkId)).toEqual([chunks[2], chunks[1], chunks[3]]);
    expect(hits[0]!.score).toBeCloseTo((1 + 0.2 * 0.1) / (Math.hypot(1, 0.2) * Math.hypot(1, 0.1)), 4);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(hits[1]!.score).toBeGreaterThanOrEqual(hits[2]!.score);
  });

  it("replaces a material's vectors in one upsert and leaves other materials alone", async () => {
    const [store] = fixture().stores;
    const scope = scopeOf(fixture().tenants[0]);
    const [first, second] = [randomUUID(), randomUUID()];
    const [old, kept, fresh] = [randomUUID(), randomUUID(), randomUUID()];
    await store.upsert(scope, [{ chunkId: old, materialId: first, vector: direction(0) }]);
    await store.upsert(scope, [{ chunkId: kept, materialId: second, vector: direction(1) }]);
    await store.upsert(scope, [{ chunkId: fresh, materialId: first, vector: direction(4) }]);
    const found = (await store.search(scope, direction(0), 10)).map((hit) => hit.chunkId);
    expect(found.sort()).toEqual([kept, fresh].sort());
  });

  it('deletes one material', async () => {
    const [store] = fixture().stores;
    const scope = scopeOf(fixture().tenants[0]);
    const [gone, stays] = [randomUUID(), randomUUID()];
    const keptChunk = randomUUID();
    await store.upsert(scope, [{ chunkId: randomUUID(), materialId: gone, vector: direction(0) }]);
    await store.upsert(scope, [{ chunkId: keptChunk, materialId: stays, vector: direction(5) }]);
    await store.deleteMaterial(scope, gone);
    expect((await store.search(scope, direction(0), 10)).map((hit) => hit.chunkId)).toEqual([keptChunk]);
  });

  it('never returns another tenant’s, course’s or model’s vectors', async () => {
    const [store] = fixture().stores;
    const [tenantA, tenantB] = fixture().tenants;
    const scope = scopeOf(tenantA);
    const mine = randomUUID();
    await store.upsert(scope, [{ chunkId: mine, materialId: randomUUID(), vector: direction(3) }]);
    await store.upsert({ ...scope, tenantId: tenantB }, [{ chunkId: randomUUID(), materialId: randomUUID(), vector: direction(3) }]);
    await store.upsert({ ...scope, courseId: `${scope.courseId}-other` }, [{ chunkId: randomUUID(), materialId: randomUUID(), vector: direction(3) }]);
    await store.upsert({ ...scope, model: 'model-b' }, [{ chunkId: randomUUID(), materialId: randomUUID(), vector: direction(3) }]);
    expect((await store.search(scope, direction(3), 10)).map((hit) => hit.chunkId)).toEqual([mine]);
    expect(await store.search({ ...scope, courseId: 'never-indexed' }, direction(3), 10)).toEqual([]);
  });

  it("sees another process's writes", async () => {
    const [reader, writer] = fixture().stores;
    const scope = scopeOf(fixture().tenants[1]);
    const material = randomUUID();
    const before = randomUUID();
    await writer.upsert(scope, [{ chunkId: before, materialId: material, vector: direction(6) }]);
    expect((await reader.search(scope, direction(6), 5)).map((hit) => hit.chunkId)).toEqual([before]);
    const after = randomUUID();
    await writer.upsert(scope, [{ chunkId: after, materialId: material, vector: direction(6) }]);
    expect((await reader.search(scope, direction(6), 5)).map((hit) => hit.chunkId)).toEqual([after]);
    await writer.deleteMaterial(scope, material);
    expect(await reader.search(scope, direction(6), 5)).toEqual([]);
  });

  it('reports itself healthy', async () => {
    expect(await fixture().stores[0].healthy()).toBe(true);
  });
}
