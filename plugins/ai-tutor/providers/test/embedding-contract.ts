import { expect, it } from 'vitest';
import type { EmbeddingProvider } from '../types.js';

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(normA * normB);
}

/** What every embedding provider promises the tutor, whichever model is behind it. */
export function embeddingProviderContract(provider: () => EmbeddingProvider): void {
  it('returns one vector of the announced size per text, in the order given, across batches', async () => {
    const texts = Array.from({ length: 70 }, (_, index) => `Lecture ${index} covers topic number ${index} of the course.`);
    const vectors = await provider().embedDocuments(texts);
    expect(vectors).toHaveLength(texts.length);
    expect(provider().dimensions).toBeGreaterThan(0);
    for (const vector of vectors) expect(vector).toHaveLength(provider().dimensions);
    // Each text alone gives the vector found at its position in the batch.
    for (const index of [0, 33, 69]) {
      expect(cosine(await provider().embedQuery(texts[index]!), vectors[index]!)).toBeGreaterThan(0.9);
    }
  });

  it('is deterministic and finite', async () => {
    const [first, second] = await provider().embedDocuments(['The mitochondria is the powerhouse of the cell.', 'The mitochondria is the powerhouse of the cell.']);
    expect(Array.from(first!)).toEqual(Array.from(second!));
    expect(first!.every(Number.isFinite)).toBe(true);
  });

  it('puts a question closer to the passage that answers it than to an unrelated one', async () => {
    const [answer, unrelated] = await provider().embedDocuments([
      'Photosynthesis converts light energy into chemical energy stored in glucose.',
      'The invoice is due thirty days after the shipment date.',
    ]);
    const question = await provider().embedQuery('How does photosynthesis store light energy?');
    expect(cosine(question, answer!)).toBeGreaterThan(cosine(question, unrelated!));
  });

  it('embeds nothing for no texts', async () => {
    expect(await provider().embedDocuments([])).toEqual([]);
  });
}
