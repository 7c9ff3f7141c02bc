import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Counter } from 'prom-client';

/** argon2id with the library's defaults (OWASP-recommended parameters). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

let standInHash: Promise<string> | undefined;

/**
 * Verifies against the account's hash, or, when there is no such account, against a stand-in hash
 * of a random password: both cost the same argon2 work, so the answer's timing does not tell
 * which emails exist.
 */
export async function verifyPasswordOrStandIn(passwordHash: string | undefined, password: string, verifications?: Counter): Promise<boolean> {
  standInHash ??= hashPassword(randomBytes(18).toString('base64url'));
  const against = passwordHash ?? (await standInHash);
  verifications?.inc();
  const verified = await verifyPassword(against, password);
  return passwordHash !== undefined && verified;
}
