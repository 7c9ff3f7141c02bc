import { extractText, getDocumentProxy } from 'unpdf';
import { type TextBlock, UnreadableMaterialError } from '../document.js';
import { parsePlainText } from './plain-text.js';

/** PDF through unpdf, page by page: every block keeps its page number. */
export async function parsePdf(bytes: Uint8Array): Promise<TextBlock[]> {
  let pages: string[];
  try {
    const document = await getDocumentProxy(new Uint8Array(bytes));
    ({ text: pages } = await extractText(document, { mergePages: false }));
  } catch (error) {
    const reason = (error as Error).name === 'PasswordException' ? 'it is password-protected' : 'the file is damaged or is not a PDF';
    throw new UnreadableMaterialError(`The PDF could not be read: ${reason}. Export it again (without a password) and upload it again.`);
  }
  const blocks = pages.flatMap((text, index) => parsePlainText(text).map((block) => ({ ...block, page: index + 1 })));
  if (blocks.length === 0) {
    throw new UnreadableMaterialError('The PDF has no text to read (it may be scanned images). Upload a PDF with selectable text, or its source document.');
  }
  return blocks;
}
