import { normaliseWhitespace, type TextBlock } from '../document.js';

/** Plain text: paragraphs are separated by blank lines. */
export function parsePlainText(source: string): TextBlock[] {
  return source
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map(normaliseWhitespace)
    .filter((text) => text.length > 0)
    .map((text) => ({ text, headingPath: [] }));
}
