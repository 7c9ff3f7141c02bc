import { matmul, Tensor, topk } from '@huggingface/transformers';

/** Scales a vector to unit length (a copy), so a dot product is the cosine similarity. */
export function unitVector(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const scale = 1 / (Math.sqrt(norm) || 1);
  return vector.map((value) => value * scale);
}

/** Rows of unit vectors, one per chunk, ready for scoring. */
export class UnitMatrix {
  private readonly tensor: Tensor;

  constructor(
    readonly rows: number,
    readonly dimensions: number,
    values: Float32Array,
  ) {
    this.tensor = new Tensor('float32', values, [rows, dimensions]);
  }

  /**
   * The `limit` rows with the highest dot product with `unitQuery` (their cosine), best first.
   * onnxruntime's matrix product and top-k use SIMD and every core: several times faster than a
   * JavaScript loop over 100k rows.
   */
  async best(unitQuery: Float32Array, limit: number): Promise<Array<{ row: number; score: number }>> {
    const count = Math.min(limit, this.rows);
    if (count <= 0) return [];
    const scores = await matmul(this.tensor, new Tensor('float32', unitQuery, [this.dimensions, 1]));
    const [values, indexes] = await topk(scores.view(1, this.rows), count);
    const rows = indexes.data as BigInt64Array;
    return Array.from(values.data as Float32Array, (score, rank) => ({ row: Number(rows[rank]), score }));
  }
}
