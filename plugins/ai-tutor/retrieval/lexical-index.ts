import MiniSearch from 'minisearch';
import { termOf, tokenize } from './terms.js';

/** A passage as retrieval and citations need it (a chunk of the material version students read). */
export interface Passage {
  id: string;
  materialId: string;
  materialTitle: string;
  /** The material's reading-link key (see the material view route). */
  viewKey: string;
  headingPath: string[];
  page: number | null;
  position: number;
  text: string;
}

export interface LexicalHit {
  passage: Passage;
  score: number;
  /** Share of the question's terms this passage contains (0..1). */
  coverage: number;
}

/**
 * BM25 parameters; a word of a chunk's heading path counts half a body word (headings repeat on every
 * chunk of a section, so more weight drowns the body's own words).
 */
const SEARCH = {
  boost: { headings: 0.5 },
  bm25: { k: 1.2, b: 0.75, d: 0.5 },
  combineWith: 'OR' as const,
  prefix: false,
  fuzzy: false,
};

/** A course's passages in a BM25 index (minisearch); built once per content version. */
export class LexicalIndex {
  private readonly search: MiniSearch<Passage>;
  private readonly passages = new Map<string, Passage>();

  constructor(passages: Passage[]) {
    this.search = new MiniSearch<Passage>({
      fields: ['text', 'headings'],
      storeFields: [],
      extractField: (passage, field) => {
        if (field === 'headings') return passage.headingPath.join(' ');
        if (field === 'id') return passage.id;
        return passage.text;
      },
      tokenize,
      processTerm: termOf,
      searchOptions: SEARCH,
    });
    this.search.addAll(passages);
    for (const passage of passages) this.passages.set(passage.id, passage);
  }

  get size(): number {
    return this.passages.size;
  }

  passage(id: string): Passage | undefined {
    return this.passages.get(id);
  }

  query(question: string, terms: string[], limit: number): LexicalHit[] {
    if (terms.length === 0) return [];
    return this.search
      .search(question)
      .slice(0, limit)
      .map((result) => ({
        passage: this.passages.get(result.id as string)!,
        score: result.score,
        coverage: new Set(result.terms).size / terms.length,
      }));
  }
}
