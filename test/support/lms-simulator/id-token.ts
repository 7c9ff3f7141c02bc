import { type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { mintKey, type PlatformKey } from './platform-keys.js';

/** Ways a test makes the LMS send a bad id_token. */
export interface Tamper {
  /** `foreign-key`: signed by a key the LMS never published (same kid); `none`: unsigned; `hs256-public-key`: HMAC keyed with the public key. */
  signWith?: 'foreign-key' | 'none' | 'hs256-public-key';
  /** A `kid` header the LMS does not publish; `null`: no `kid` at all. */
  kid?: string | null;
  aud?: string | string[];
  azp?: string;
  iss?: string;
  /** Seconds from now; negative: already expired. */
  expiresIn?: number;
  /** Seconds from now for `iat` (positive: in the future). */
  issuedAt?: number;
  nonce?: string;
  /** Claims (full names) left out. */
  omit?: string[];
  /** Claims added or replaced. */
  claims?: Record<string, unknown>;
}

export async function signIdToken(key: PlatformKey, claims: JWTPayload, tamper: Tamper = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { ...claims, ...tamper.claims };
  if (tamper.iss !== undefined) payload.iss = tamper.iss;
  if (tamper.aud !== undefined) payload.aud = tamper.aud;
  if (tamper.azp !== undefined) payload.azp = tamper.azp;
  if (tamper.nonce !== undefined) payload.nonce = tamper.nonce;
  payload.iat = now + (tamper.issuedAt ?? 0);
  payload.exp = now + (tamper.expiresIn ?? 60);
  for (const claim of tamper.omit ?? []) delete payload[claim];
  if (tamper.signWith === 'none') return new UnsecuredJWT(payload).encode();
  const kid = tamper.kid === null ? {} : { kid: tamper.kid ?? key.kid };
  if (tamper.signWith === 'hs256-public-key') {
    return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', ...kid, typ: 'JWT' }).sign(new TextEncoder().encode(key.publicPem));
  }
  const signer = tamper.signWith === 'foreign-key' ? (await mintKey()).privateKey : key.privateKey;
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', ...kid, typ: 'JWT' }).sign(signer);
}
