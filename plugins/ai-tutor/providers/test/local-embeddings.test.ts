import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testModel } from '../../../../test/support/test-models.js';
import { LocalOnnxEmbeddings } from '../local-embeddings.js';
import { cosine, embeddingProviderContract } from './embedding-contract.js';

const MINILM = testModel('all-MiniLM-L6-v2-int8');
const REFERENCE = JSON.parse(readFileSync(new URL('./fixtures/reference-embeddings.json', import.meta.url), 'utf8')) as Array<{ text: string; vector: number[] }>;

describe.skipIf(!MINILM.present)(MINILM.title('local ONNX embeddings (all-MiniLM-L6-v2, int8)'), () => {
  let embeddings: LocalOnnxEmbeddings;
  beforeAll(async () => {
    embeddings = await LocalOnnxEmbeddings.load(MINILM.path);
  }, 180_000);
  afterAll(() => embeddings?.close());

  embeddingProviderContract(() => embeddings);

  it('names the model and gives 384 dimensions', () => {
    expect(embeddings.id).toBe('local:all-MiniLM-L6-v2-int8');
    expect(embeddings.dimensions).toBe(384);
  });

  it('matches vectors computed independently with Python tokenizers and onnxruntime', async () => {
    const vectors = await embeddings.embedDocuments(REFERENCE.map((reference) => reference.text));
    vectors.forEach((vector, index) => {
      const expected = Float32Array.from(REFERENCE[index]!.vector);
      expect(cosine(vector, expected)).toBeGreaterThan(0.9999);
      expect(Math.max(...vector.map((value, i) => Math.abs(value - expected[i]!)))).toBeLessThan(1e-3);
    });
  });

  it('scores paraphrases above unrelated sentences', async () => {
    const [food, bread, baby, horse] = await embeddings.embedDocuments(REFERENCE.slice(0, 4).map((reference) => reference.text));
    expect(cosine(food!, bread!)).toBeGreaterThan(0.5);
    expect(cosine(food!, bread!)).toBeGreaterThan(cosine(food!, baby!) + 0.3);
    expect(cosine(food!, horse!)).toBeGreaterThan(cosine(food!, baby!));
  });

  it('refuses a folder without a model, saying what is missing', async () => {
    await expect(LocalOnnxEmbeddings.load('/nonexistent/model')).rejects.toThrow(/no ONNX model/);
  });
});
