import { Parser } from 'htmlparser2';
import { HeadingTrail, normaliseWhitespace, type TextBlock } from '../document.js';

const HEADING = /^h([1-6])$/;
const BLOCK = new Set([
  'p', 'li', 'pre', 'blockquote', 'td', 'th', 'dd', 'dt', 'div', 'section', 'article', 'main', 'tr', 'table', 'ul', 'ol',
  'figcaption', 'caption', 'br', 'hr', 'header', 'footer', 'aside', 'body',
]);
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object']);

/** HTML (also what DOCX becomes): headings h1–h6 set the path; every block element ends a paragraph. */
export function parseHtml(source: string): TextBlock[] {
  const trail = new HeadingTrail();
  const blocks: TextBlock[] = [];
  let text = '';
  let heading: { level: number; text: string } | undefined;
  let skipping = 0;
  const flush = () => {
    const paragraph = normaliseWhitespace(text);
    if (paragraph) blocks.push({ text: paragraph, headingPath: trail.path });
    text = '';
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipping += 1;
        if (skipping > 0) return;
        const level = HEADING.exec(name)?.[1];
        if (level) {
          flush();
          heading = { level: Number(level), text: '' };
        } else if (BLOCK.has(name)) flush();
      },
      ontext(data) {
        if (skipping > 0) return;
        if (heading) heading.text += data;
        else text += data;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping > 0) return;
        if (heading && HEADING.test(name)) {
          const title = normaliseWhitespace(heading.text);
          if (title) trail.enter(heading.level, title);
          heading = undefined;
        } else if (BLOCK.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(source);
  parser.end();
  flush();
  return blocks;
}
