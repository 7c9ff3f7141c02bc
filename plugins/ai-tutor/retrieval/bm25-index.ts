/**
 * An inverted index scored with BM25F (fields folded into one weighted term frequency, Robertson et
 * al.), laid out in typed arrays so a question touches only the postings of its own terms: a course
 * of 100k passages answers in milliseconds and its index is rebuilt in seconds.
 */
export interface WeightedField {
  terms: string[];
  weight: number;
}

export interface Bm25Hit {
  doc: number;
  score: number;
  /** How many of the query's terms the document contains. */
  matched: number;
}

const K1 = 1.2;
const B = 0.75;

interface Postings {
  docs: Int32Array;
  weights: Float32Array;
}

export class Bm25Index {
  private readonly postings = new Map<string, Postings>();
  private readonly lengths: Float32Array;
  /** Each document's BM25 length normalisation, k1·(1 − b + b·length/average). */
  private readonly norms: Float32Array;
  private readonly scores: Float32Array;
  private readonly matched: Uint16Array;

  /** `documents[i]` is document i: its fields' terms, each field weighted (the body first). */
  constructor(documents: WeightedField[][]) {
    const building = new Map<string, { docs: number[]; weights: number[] }>();
    this.lengths = new Float32Array(documents.length);
    for (const [doc, fields] of documents.entries()) {
      const frequencies = new Map<string, number>();
      for (const field of fields) {
        for (const term of field.terms) frequencies.set(term, (frequencies.get(term) ?? 0) + field.weight);
      }
      this.lengths[doc] = fields[0]?.terms.length ?? 0;
      for (const [term, weight] of frequencies) {
        let list = building.get(term);
        if (!list) {
          list = { docs: [], weights: [] };
          building.set(term, list);
        }
        list.docs.push(doc);
        list.weights.push(weight);
      }
    }
    for (const [term, list] of building) this.postings.set(term, { docs: Int32Array.from(list.docs), weights: Float32Array.from(list.weights) });
    const averageLength = documents.length === 0 ? 1 : this.lengths.reduce((sum, length) => sum + length, 0) / documents.length || 1;
    this.norms = this.lengths.map((length) => K1 * (1 - B + (B * length) / averageLength));
    this.scores = new Float32Array(documents.length);
    this.matched = new Uint16Array(documents.length);
  }

  get size(): number {
    return this.lengths.length;
  }

  search(terms: string[], limit: number): Bm25Hit[] {
    const touched: number[] = [];
    const total = this.lengths.length;
    const { scores, matched, norms } = this;
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (total - list.docs.length + 0.5) / (list.docs.length + 0.5));
      const { docs, weights } = list;
      for (let index = 0; index < docs.length; index += 1) {
        const doc = docs[index]!;
        const tf = weights[index]!;
        if (matched[doc] === 0) touched.push(doc);
        scores[doc]! += (idf * tf * (K1 + 1)) / (tf + norms[doc]!);
        matched[doc]! += 1;
      }
    }
    const best = new TopK(limit);
    for (const doc of touched) best.offer(doc, scores[doc]!);
    const hits = best.sorted().map((doc) => ({ doc, score: scores[doc]!, matched: matched[doc]! }));
    for (const doc of touched) {
      scores[doc] = 0;
      matched[doc] = 0;
    }
    return hits;
  }
}

/** The `limit` best documents by score: a min-heap, so picking them costs O(n log limit). */
class TopK {
  private readonly docs: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly limit: number) {}

  offer(doc: number, score: number): void {
    if (this.limit <= 0) return;
    if (this.docs.length < this.limit) {
      this.docs.push(doc);
      this.scores.push(score);
      this.up(this.docs.length - 1);
    } else if (score > this.scores[0]!) {
      this.docs[0] = doc;
      this.scores[0] = score;
      this.down(0);
    }
  }

  sorted(): number[] {
    return this.docs.map((doc, at) => ({ doc, score: this.scores[at]! })).sort((a, b) => b.score - a.score).map((entry) => entry.doc);
  }

  private swap(a: number, b: number): void {
    [this.docs[a], this.docs[b]] = [this.docs[b]!, this.docs[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
  }

  private up(at: number): void {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.scores[parent]! <= this.scores[at]!) return;
      this.swap(parent, at);
      at = parent;
    }
  }

  private down(at: number): void {
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < this.docs.length && this.scores[left]! < this.scores[smallest]!) smallest = left;
      if (right < this.docs.length && this.scores[right]! < this.scores[smallest]!) smallest = right;
      if (smallest === at) return;
      this.swap(smallest, at);
      at = smallest;
    }
  }
}
