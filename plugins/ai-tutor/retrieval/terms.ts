import { stemmer } from 'stemmer';
import { eng } from 'stopword';

const STOPWORDS = new Set(eng);

/** Words of a text, lowercased, as the index and queries see them. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+(?:['’][\p{L}]+)?/gu) ?? [];
}

/** A word's index term (stopwords dropped, Porter-stemmed), or null to skip it. */
export function termOf(word: string): string | null {
  const lower = word.toLowerCase().replace(/['’]s$/, '').replace(/['’]/g, '');
  if (lower.length === 0 || STOPWORDS.has(lower)) return null;
  return stemmer(lower);
}

/** The distinct terms of a question, in order. */
export function queryTerms(text: string): string[] {
  return [...new Set(tokenize(text).map(termOf).filter((term): term is string => term !== null))];
}
