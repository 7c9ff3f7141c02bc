import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** Subresource Integrity value, as a `<script integrity>` or `<link integrity>` takes it. */
export function sri(code: string | Uint8Array): string {
  return `sha384-${createHash('sha384').update(code).digest('base64')}`;
}

export function gzipBytes(code: string | Uint8Array): number {
  return gzipSync(code, { level: 9 }).length;
}
