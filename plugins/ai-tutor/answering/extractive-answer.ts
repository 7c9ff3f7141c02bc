import type { Passage } from '../retrieval/lexical-index.js';
import { queryTerms } from '../retrieval/terms.js';

const SENTENCES_PER_PASSAGE = 2;
const MAX_PASSAGES = 3;

const LABELS = {
  en: { quoted: 'Quoted from the course materials (no model wrote this answer):', notCovered: 'The course materials do not cover this question, so I cannot answer it from them. Try rephrasing it, or ask your instructor.' },
  es: { quoted: 'Citado de los materiales del curso (ningún modelo escribió esta respuesta):', notCovered: 'Los materiales del curso no tratan esta pregunta, así que no puedo responderla con ellos. Prueba a reformularla o pregunta a tu docente.' },
};

export type AnswerLocale = keyof typeof LABELS;

export function notCoveredAnswer(locale: AnswerLocale): string {
  return LABELS[locale].notCovered;
}

function bestSentences(text: string, terms: Set<string>): string {
  const sentences = (text.match(/[^.!?]+(?:[.!?]+["')\]]*|$)/g) ?? [text]).map((sentence) => sentence.trim()).filter(Boolean);
  const scored = sentences.map((sentence, index) => ({
    index,
    score: queryTerms(sentence).filter((term) => terms.has(term)).length,
  }));
  const chosen = scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, SENTENCES_PER_PASSAGE)
    .sort((a, b) => a.index - b.index);
  const picked = chosen.length > 0 ? chosen.map((entry) => sentences[entry.index]!) : sentences.slice(0, 1);
  return picked.join(' ');
}

/**
 * The answer without a model: for each of the best passages, its sentences that share the most
 * words with the question, quoted and cited, under a label saying where they come from.
 */
export function extractiveAnswer(question: string, passages: Passage[], locale: AnswerLocale): { text: string; cited: number } {
  const terms = new Set(queryTerms(question));
  const used = passages.slice(0, MAX_PASSAGES);
  const quotes = used.map((passage, index) => `“${bestSentences(passage.text, terms)}” [${index + 1}]`);
  return { text: `${LABELS[locale].quoted}\n${quotes.join('\n')}`, cited: used.length };
}

/** Splits an answer into small pieces for streaming (words with their following space). */
export function streamPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
