import { queryTerms } from '../retrieval/terms.js';
import type { TextBlock } from './document.js';

const SUMMARY_SENTENCES = 4;
const MAX_SOURCE_SENTENCES = 2000;

function sentencesOf(blocks: TextBlock[]): string[] {
  return blocks
    .flatMap((block) => block.text.match(/[^.!?]+[.!?]+(?=\s|$)/g) ?? [])
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.split(' ').length >= 6 && sentence.split(' ').length <= 60)
    .slice(0, MAX_SOURCE_SENTENCES);
}

/**
 * A summary without a model: the sentences that share the most frequent content words of the whole
 * material (a centroid summary), in reading order.
 */
export function extractiveSummary(blocks: TextBlock[]): string {
  const sentences = sentencesOf(blocks);
  if (sentences.length === 0) return blocks.map((block) => block.text).join(' ').slice(0, 400);
  const frequency = new Map<string, number>();
  const termsOf = sentences.map((sentence) => queryTerms(sentence));
  for (const terms of termsOf) for (const term of terms) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const scored = termsOf.map((terms, index) => ({
    index,
    score: terms.reduce((sum, term) => sum + Math.log(1 + (frequency.get(term) ?? 0)), 0) / Math.sqrt(terms.length + 1),
  }));
  const chosen = scored
    .sort((a, b) => b.score - a.score)
    .slice(0, SUMMARY_SENTENCES)
    .sort((a, b) => a.index - b.index);
  return chosen.map(({ index }) => sentences[index]).join(' ');
}
