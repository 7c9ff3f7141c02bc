import { HeadingTrail, normaliseWhitespace, type TextBlock } from '../document.js';

const ATX_HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^ {0,3}(```|~~~)/;

/** Strips inline Markdown that would only add noise to search and snippets (links keep their text). */
function plain(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1');
}

/** Markdown (CommonMark ATX headings, fenced code kept as text): one block per paragraph. */
export function parseMarkdown(source: string): TextBlock[] {
  const trail = new HeadingTrail();
  const blocks: TextBlock[] = [];
  let paragraph: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    const text = normaliseWhitespace(plain(paragraph.join('\n')));
    if (text) blocks.push({ text, headingPath: trail.path });
    paragraph = [];
  };
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch?.[1] === fence) {
        fence = undefined;
        flush();
      } else paragraph.push(line);
      continue;
    }
    if (fenceMatch) {
      flush();
      fence = fenceMatch[1];
      continue;
    }
    const heading = ATX_HEADING.exec(line);
    if (heading) {
      flush();
      const text = normaliseWhitespace(plain(heading[2]!));
      if (text) trail.enter(heading[1]!.length, text);
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
  return blocks;
}
