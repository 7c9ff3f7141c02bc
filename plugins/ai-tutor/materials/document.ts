/** What every parser produces: the material's text in reading order, each block under its headings. */
export interface TextBlock {
  text: string;
  /** Headings above the block, outermost first (empty before the first heading). */
  headingPath: string[];
  /** 1-based page for paged formats (PDF). */
  page?: number;
  /** Seconds from the start, for transcribed media. */
  startSeconds?: number;
}

export type MaterialKind = 'pdf' | 'docx' | 'html' | 'markdown' | 'text' | 'audio' | 'video';

/** A problem with the file itself: it fails that material alone, with this message shown to the instructor. */
export class UnreadableMaterialError extends Error {
  override name = 'UnreadableMaterialError';
}

/** Collapses runs of whitespace so chunks and snippets read as prose. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Tracks the heading path while a parser walks a document. */
export class HeadingTrail {
  private readonly levels: Array<{ level: number; text: string }> = [];

  enter(level: number, text: string): void {
    while (this.levels.length > 0 && this.levels.at(-1)!.level >= level) this.levels.pop();
    this.levels.push({ level, text });
  }

  get path(): string[] {
    return this.levels.map((heading) => heading.text);
  }
}
