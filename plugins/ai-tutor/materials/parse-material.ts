import type { TranscriptionProvider } from '../providers/index.js';
import { type MaterialKind, normaliseWhitespace, type TextBlock, UnreadableMaterialError } from './document.js';
import { parseDocx } from './parsers/docx.js';
import { parseHtml } from './parsers/html.js';
import { parseMarkdown } from './parsers/markdown.js';
import { parsePdf } from './parsers/pdf.js';
import { parsePlainText } from './parsers/plain-text.js';
import { decodeText } from './sniff.js';

/** Media cannot be read without a transcription endpoint; the material waits in this state. */
export class TranscriptionNotConfiguredError extends Error {
  override name = 'TranscriptionNotConfiguredError';
  constructor() {
    super('Transcription is not configured: audio and video need TRANSCRIPTION_BASE_URL (an OpenAI-compatible /v1/audio/transcriptions endpoint). Ask your administrator, then re-index this material.');
  }
}

function text(bytes: Uint8Array): string {
  const decoded = decodeText(bytes);
  if (decoded === undefined) throw new UnreadableMaterialError('The file is not UTF-8 text. Save it as UTF-8 and upload it again.');
  return decoded;
}

function minutes(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

async function transcribe(
  bytes: Uint8Array,
  file: { filename: string; mediaType: string },
  transcription: TranscriptionProvider | null,
): Promise<TextBlock[]> {
  if (!transcription) throw new TranscriptionNotConfiguredError();
  const transcript = await transcription.transcribe({ bytes, filename: file.filename, mimeType: file.mediaType });
  if (transcript.segments.length === 0) return parsePlainText(transcript.text);
  return transcript.segments
    .map((segment) => ({ text: normaliseWhitespace(segment.text), headingPath: [minutes(segment.start)], startSeconds: segment.start }))
    .filter((block) => block.text.length > 0);
}

/** The material's text blocks, by the kind sniffed from its bytes. */
export async function parseMaterial(
  kind: MaterialKind,
  bytes: Uint8Array,
  file: { filename: string; mediaType: string },
  transcription: TranscriptionProvider | null,
): Promise<TextBlock[]> {
  const blocks = await (async () => {
    switch (kind) {
      case 'pdf':
        return parsePdf(bytes);
      case 'docx':
        return parseDocx(bytes);
      case 'html':
        return parseHtml(text(bytes));
      case 'markdown':
        return parseMarkdown(text(bytes));
      case 'text':
        return parsePlainText(text(bytes));
      case 'audio':
      case 'video':
        return transcribe(bytes, file, transcription);
    }
  })();
  if (blocks.length === 0) throw new UnreadableMaterialError('The file has no text to read. Check that it is the right file and upload it again.');
  return blocks;
}
