import mammoth from 'mammoth';
import { type TextBlock, UnreadableMaterialError } from '../document.js';
import { parseHtml } from './html.js';

/** DOCX through mammoth's HTML (Word heading styles become h1–h6), then the HTML parser. */
export async function parseDocx(bytes: Uint8Array): Promise<TextBlock[]> {
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }));
  } catch {
    throw new UnreadableMaterialError('The Word document could not be read: the file is damaged or is not a .docx document. Save it again from Word or LibreOffice and upload it again.');
  }
  return parseHtml(html);
}
