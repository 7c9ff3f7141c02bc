import { describe, expect, it } from 'vitest';
import { chunkBlocks } from '../materials/chunker.js';
import { parseMarkdown } from '../materials/parsers/markdown.js';
import { estimateTokens } from '../materials/tokens.js';

const sentence = (n: number) => `Sentence number ${n} explains one more detail of the topic at hand.`;

describe('chunking keeps structure', () => {
  it('never crosses a heading or a page, and puts the heading path on every chunk', () => {
    const blocks = [
      ...parseMarkdown('# Unit 1\n\n## Cells\n\nCells are small.\n\n## Tissues\n\nTissues are groups of cells.'),
      { text: 'Page two text.', headingPath: ['Unit 1', 'Tissues'], page: 2 },
    ];
    const chunks = chunkBlocks(blocks);
    expect(chunks.map((chunk) => [chunk.headingPath.join(' › '), chunk.page, chunk.text])).toEqual([
      ['Unit 1 › Cells', undefined, 'Cells are small.'],
      ['Unit 1 › Tissues', undefined, 'Tissues are groups of cells.'],
      ['Unit 1 › Tissues', 2, 'Page two text.'],
    ]);
    expect(chunks.map((chunk) => chunk.position)).toEqual([0, 1, 2]);
  });

  it('sizes chunks in tokens, splits long paragraphs between sentences and overlaps neighbours', () => {
    const paragraph = Array.from({ length: 60 }, (_, n) => sentence(n)).join(' ');
    const chunks = chunkBlocks([{ text: paragraph, headingPath: ['Long'] }], { targetTokens: 100, maxTokens: 150, overlapTokens: 20 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(150 + 20);
      expect(chunk.tokenCount).toBe(estimateTokens(chunk.text.replaceAll('\n\n', ' ')));
      expect(chunk.text).toMatch(/^Sentence number \d+/);
    }
    // The sentence that ends one chunk starts the next one.
    const lastOfFirst = chunks[0]!.text.split(/(?<=\.)\s+/).at(-1)!;
    expect(chunks[1]!.text.startsWith(lastOfFirst)).toBe(true);
    expect(chunks.at(-1)!.text).toContain(sentence(59));
  });
});
