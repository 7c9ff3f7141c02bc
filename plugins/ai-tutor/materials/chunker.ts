import type { TextBlock } from './document.js';
import { estimateTokens } from './tokens.js';

export interface Chunk {
  position: number;
  text: string;
  headingPath: string[];
  page?: number;
  tokenCount: number;
}

export interface ChunkSizes {
  /** A chunk is closed once it reaches this many tokens. */
  targetTokens: number;
  /** No chunk is longer (long paragraphs are split between sentences). */
  maxTokens: number;
  /** Tokens of the previous chunk's end repeated at the start of the next one in the same section. */
  overlapTokens: number;
}

export const DEFAULT_CHUNK_SIZES: ChunkSizes = { targetTokens: 200, maxTokens: 300, overlapTokens: 24 };

interface Piece {
  text: string;
  tokens: number;
}

/** Splits text longer than `maxTokens` between sentences (between words when a sentence is longer still). */
function pieces(text: string, maxTokens: number): Piece[] {
  const tokens = estimateTokens(text);
  if (tokens <= maxTokens) return [{ text, tokens }];
  const sentences = text.match(/[^.!?]+(?:[.!?]+["')\]]*\s*|$)/g) ?? [text];
  const result: Piece[] = [];
  for (const sentence of sentences.map((value) => value.trim()).filter(Boolean)) {
    const sentenceTokens = estimateTokens(sentence);
    if (sentenceTokens <= maxTokens) {
      result.push({ text: sentence, tokens: sentenceTokens });
      continue;
    }
    const words = sentence.split(' ');
    const step = Math.max(1, Math.floor(words.length * (maxTokens / sentenceTokens)));
    for (let start = 0; start < words.length; start += step) {
      const part = words.slice(start, start + step).join(' ');
      result.push({ text: part, tokens: estimateTokens(part) });
    }
  }
  return result;
}

/** The last sentences of a chunk, up to `budget` tokens, repeated at the start of the next one. */
function overlapOf(chunk: Piece[], budget: number): Piece[] {
  if (budget <= 0) return [];
  const sentences = chunk.flatMap((piece) => piece.text.match(/[^.!?]+(?:[.!?]+["')\]]*\s*|$)/g)?.map((value) => value.trim()).filter(Boolean) ?? []);
  const kept: string[] = [];
  let tokens = 0;
  for (const sentence of sentences.reverse()) {
    const sentenceTokens = estimateTokens(sentence);
    if (tokens + sentenceTokens > budget) break;
    kept.unshift(sentence);
    tokens += sentenceTokens;
  }
  return kept.length > 0 && kept.length < sentences.length ? [{ text: kept.join(' '), tokens }] : [];
}

/**
 * Packs paragraphs into chunks of about `targetTokens`, never across a section (heading path) or
 * page boundary, with a short sentence overlap between neighbouring chunks of one section.
 */
export function chunkBlocks(blocks: TextBlock[], sizes: ChunkSizes = DEFAULT_CHUNK_SIZES): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Piece[] = [];
  let currentTokens = 0;
  let section: { key: string; headingPath: string[]; page?: number } | undefined;
  const close = (carryOverlap: boolean) => {
    const fresh = current.filter((piece) => !('overlap' in piece));
    if (section && fresh.length > 0) {
      chunks.push({
        position: chunks.length,
        text: current.map((piece) => piece.text).join('\n\n'),
        headingPath: section.headingPath,
        page: section.page,
        tokenCount: currentTokens,
      });
    }
    current = carryOverlap && fresh.length > 0 ? overlapOf(current, sizes.overlapTokens).map((piece) => ({ ...piece, overlap: true })) : [];
    currentTokens = current.reduce((sum, piece) => sum + piece.tokens, 0);
  };
  for (const block of blocks) {
    const key = `${block.headingPath.join('\u0000')}\u0001${block.page ?? ''}`;
    if (section?.key !== key) {
      close(false);
      section = { key, headingPath: block.headingPath, page: block.page };
    }
    for (const piece of pieces(block.text, sizes.maxTokens)) {
      if (currentTokens > 0 && currentTokens + piece.tokens > sizes.maxTokens) close(true);
      current.push(piece);
      currentTokens += piece.tokens;
      if (currentTokens >= sizes.targetTokens) close(true);
    }
  }
  close(false);
  return chunks;
}
