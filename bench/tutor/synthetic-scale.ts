import { randomUUID } from 'node:crypto';
import { percentile } from '../support/percentile.js';
import { progress } from '../support/progress.js';
import { LexicalIndex, type Passage } from '../../plugins/ai-tutor/retrieval/lexical-index.js';
import { queryTerms } from '../../plugins/ai-tutor/retrieval/terms.js';
import type { VectorStore } from '../../plugins/ai-tutor/providers/types.js';

const CHUNKS = 100_000;
const DIMENSIONS = 384;
const QUERIES = 100;

/** A deterministic pseudo-random source, so every run builds the same course. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Chunks of ~120 words drawn from a Zipf-like 20k-word vocabulary, as a large course's would be. */
function syntheticPassages(): { passages: Passage[]; vocabulary: string[] } {
  const next = random(7);
  const vocabulary = Array.from({ length: 20_000 }, (_, index) => `w${index.toString(36)}`);
  const word = () => vocabulary[Math.floor(vocabulary.length * next() ** 3)]!;
  const materialId = randomUUID();
  const passages = Array.from({ length: CHUNKS }, (_, position) => ({
    id: randomUUID(),
    materialId,
    materialTitle: 'Synthetic',
    viewKey: 'k',
    headingPath: [`Section ${Math.floor(position / 20)}`],
    page: null,
    position,
    text: Array.from({ length: 120 }, word).join(' '),
  }));
  return { passages, vocabulary };
}

/** p95 of lexical retrieval over a 100k-chunk course (the tutor's BM25 index, built once). */
export function lexicalP95(): { p95Ms: number; buildSeconds: number } {
  const { passages, vocabulary } = syntheticPassages();
  let started = performance.now();
  const index = new LexicalIndex(passages);
  const buildSeconds = (performance.now() - started) / 1000;
  progress(`lexical index of ${CHUNKS} chunks built in ${buildSeconds.toFixed(1)} s`);
  const next = random(11);
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i += 1) {
    const question = Array.from({ length: 8 }, () => vocabulary[Math.floor(vocabulary.length * next() ** 2)]).join(' ');
    started = performance.now();
    index.query(question, queryTerms(question), 20);
    times.push(performance.now() - started);
  }
  return { p95Ms: percentile(times, 0.95), buildSeconds };
}

/** p95 of vector search over a 100k-chunk course in the given store (first query loads, not counted). */
export async function vectorP95(store: VectorStore, tenantId: string): Promise<{ p95Ms: number; loadSeconds: number }> {
  const next = random(13);
  const vector = () => Float32Array.from({ length: DIMENSIONS }, () => next() - 0.5);
  const scope = { tenantId, courseId: 'synthetic-100k', model: 'synthetic' };
  const materialId = randomUUID();
  await store.upsert(scope, Array.from({ length: CHUNKS }, () => ({ chunkId: randomUUID(), materialId, vector: vector() })));
  let started = performance.now();
  await store.search(scope, vector(), 20);
  const loadSeconds = (performance.now() - started) / 1000;
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i += 1) {
    const query = vector();
    started = performance.now();
    await store.search(scope, query, 20);
    times.push(performance.now() - started);
  }
  return { p95Ms: percentile(times, 0.95), loadSeconds };
}
