import type { Logger, TenantScope } from '../../../core/plugin-api.js';
import type { EmbeddingProvider, VectorStore } from '../providers/index.js';
import type { CourseIndexes } from './course-indexes.js';
import type { Passage } from './lexical-index.js';
import { queryTerms } from './terms.js';

export interface RetrievedPassage {
  passage: Passage;
  score: number;
}

export interface Retrieval {
  passages: RetrievedPassage[];
  /** False when nothing found is relevant enough to answer from. */
  relevant: boolean;
  /** The dense half was configured but failed (results are lexical only). */
  degraded: boolean;
  contentVersion: number;
}

/** A lexical hit must contain at least this share of the question's terms to count as relevant. */
const MIN_COVERAGE = 0.5;
/** A dense hit with at least this cosine similarity counts as relevant. */
const MIN_SIMILARITY = 0.5;
/** Reciprocal rank fusion constant (Cormack et al.). */
const RRF_K = 60;
const CANDIDATES = 30;

/** Reciprocal rank fusion of ranked id lists. */
export function fuseRankings(rankings: string[][]): Map<string, number> {
  const fused = new Map<string, number>();
  for (const ranking of rankings) {
    for (const [rank, id] of ranking.entries()) fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1));
  }
  return fused;
}

/** Lexical ranking, fused with dense search when an embedding model and vector store are available. */
export class Retriever {
  constructor(
    private readonly deps: {
      indexes: CourseIndexes;
      embedding: () => EmbeddingProvider | null;
      vectorStore: () => VectorStore | null;
      log: Logger;
    },
  ) {}

  async retrieve(scope: TenantScope, courseId: string, question: string, limit: number, signal?: AbortSignal): Promise<Retrieval> {
    const { index, version } = await this.deps.indexes.forCourse(scope, courseId);
    const terms = queryTerms(question);
    const lexical = index.query(question, terms, CANDIDATES);
    const lexicalRelevant = lexical.some((hit) => hit.coverage >= MIN_COVERAGE);
    const embedding = this.deps.embedding();
    const vectorStore = this.deps.vectorStore();
    if (!embedding || !vectorStore || index.size === 0) {
      return {
        passages: lexical.slice(0, limit).map((hit) => ({ passage: hit.passage, score: hit.score })),
        relevant: lexicalRelevant,
        degraded: false,
        contentVersion: version,
      };
    }
    try {
      const vector = await embedding.embedQuery(question, signal);
      const dense = (await vectorStore.search({ tenantId: scope.tenantId, courseId, model: embedding.id }, vector, CANDIDATES, signal)).filter(
        (hit) => index.passage(hit.chunkId) !== undefined,
      );
      const fused = fuseRankings([lexical.map((hit) => hit.passage.id), dense.map((hit) => hit.chunkId)]);
      const passages = [...fused.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, limit)
        .map(([id, score]) => ({ passage: index.passage(id)!, score }));
      return {
        passages,
        relevant: lexicalRelevant || (dense[0]?.score ?? 0) >= MIN_SIMILARITY,
        degraded: false,
        contentVersion: version,
      };
    } catch (error) {
      this.deps.log.warn({ err: error }, 'dense retrieval failed; answering from lexical results');
      return {
        passages: lexical.slice(0, limit).map((hit) => ({ passage: hit.passage, score: hit.score })),
        relevant: lexicalRelevant,
        degraded: true,
        contentVersion: version,
      };
    }
  }
}
