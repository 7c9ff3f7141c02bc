import { fileTypeFromBuffer } from 'file-type';
import type { MaterialKind } from './document.js';

export interface SniffedType {
  kind: MaterialKind;
  mediaType: string;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Decodes bytes that are text (UTF-8, no NUL bytes), or undefined for binary data. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function textKind(text: string): SniffedType {
  const head = text.slice(0, 4096);
  if (/^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(head) || /<(p|h[1-6]|div|article|section)[\s>][\s\S]*<\/\1>/i.test(head)) {
    return { kind: 'html', mediaType: 'text/html' };
  }
  if (/^ {0,3}#{1,6}\s+\S/m.test(head) || /^```/m.test(head) || /\[[^\]]+\]\([^)\s]+\)/.test(head)) {
    return { kind: 'markdown', mediaType: 'text/markdown' };
  }
  return { kind: 'text', mediaType: 'text/plain' };
}

/** What the bytes are, whatever the file is called; undefined for anything the tutor cannot read. */
export async function sniffMaterial(bytes: Uint8Array): Promise<SniffedType | undefined> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    if (detected.mime === 'application/pdf') return { kind: 'pdf', mediaType: detected.mime };
    if (detected.mime === DOCX) return { kind: 'docx', mediaType: detected.mime };
    if (detected.mime.startsWith('audio/')) return { kind: 'audio', mediaType: detected.mime };
    if (detected.mime.startsWith('video/')) return { kind: 'video', mediaType: detected.mime };
    if (detected.mime === 'application/xhtml+xml' || detected.mime === 'text/html') return { kind: 'html', mediaType: 'text/html' };
    if (detected.mime !== 'application/xml') return undefined;
  }
  const text = decodeText(bytes);
  return text === undefined ? undefined : textKind(text);
}
