import { stemmer } from 'stemmer';
import { eng } from 'stopword';

const STOPWORDS = new Set(eng);

/** Words of a text, lowercased, as the index and queries see them. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+(?:['’][\p{L}]+)?/gu) ?? [];
}

const MAX_REMEMBERED = 200_000;
const remembered = new Map<string, string | null>();

/**
 * A word's index term (stopwords dropped, Porter-stemmed), or null to skip it. Stemming is the
 * costly step of indexing and a course's vocabulary is small, so terms are remembered.
 */
export function termOf(word: string): string | null {
  let term = remembered.get(word);
  if (term !== undefined) return term;
  const lower = word.toLowerCase().replace(/['’]s$/, '').replace(/['’]/g, '');
  term = lower.length === 0 || STOPWORDS.has(lower) ? null : stemmer(lower);
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(word, term);
  return term;
}

/** The distinct terms of a question, in order. */
export function queryTerms(text: string): string[] {
  return [...new Set(tokenize(text).map(termOf).filter((term): term is string => term !== null))];
}
