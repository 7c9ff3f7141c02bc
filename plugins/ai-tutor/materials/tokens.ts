/**
 * Token counts close to what BPE tokenizers of sentence-embedding and chat models give for English
 * prose (a word piece per short word, more for long words and each punctuation mark), without
 * shipping a tokenizer per model.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const piece of text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? []) tokens += piece.length > 8 ? Math.ceil(piece.length / 6) : 1;
  return tokens;
}
