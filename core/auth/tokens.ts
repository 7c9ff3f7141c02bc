import { hash, randomBytes } from 'node:crypto';

export type TokenKind = 'sk' | 'ses';

/** A high-entropy bearer token (`sk_…`, `ses_…`). Only its SHA-256 is stored. */
export function generateToken(kind: TokenKind): string {
  return `${kind}_${randomBytes(24).toString('base64url')}`;
}

/** Random 192-bit tokens need no slow hash: SHA-256 resists preimage search at this entropy. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** What may be shown again after creation: enough to recognise a key, useless to use it. */
export function displayPrefix(token: string): string {
  return `${token.slice(0, 10)}…`;
}
