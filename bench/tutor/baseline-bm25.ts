import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { eng } from 'stopword';
import type { QaSet } from './qa-set.js';

const CHUNK_WORDS = 200;
const STOPWORDS = new Set(eng);

/** Paragraphs packed into chunks of at most 200 words (a longer paragraph stands alone). */
export function naiveChunks(text: string): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let words = 0;
  for (const paragraph of text.split(/\n\s*\n/).map((part) => part.trim()).filter(Boolean)) {
    const count = paragraph.split(/\s+/).length;
    if (words > 0 && words + count > CHUNK_WORDS) {
      chunks.push(current.join('\n\n'));
      current = [];
      words = 0;
    }
    current.push(paragraph);
    words += count;
  }
  if (current.length > 0) chunks.push(current.join('\n\n'));
  return chunks;
}

/** The reference point: a plain BM25 library (Porter stemming, stopwords) over naive chunks. */
export function baselineResults(set: QaSet): Array<{ qid: string; passages: string[] }> {
  const chunks = set.materials.flatMap((material) => naiveChunks(material.text));
  const search = new MiniSearch<{ id: number; text: string }>({
    fields: ['text'],
    processTerm: (term) => (STOPWORDS.has(term.toLowerCase()) ? null : stemmer(term.toLowerCase())),
    searchOptions: { combineWith: 'OR' },
  });
  search.addAll(chunks.map((text, id) => ({ id, text })));
  return set.questions.map((question) => ({ qid: question.qid, passages: search.search(question.question).slice(0, 10).map((hit) => chunks[hit.id as number]!) }));
}
