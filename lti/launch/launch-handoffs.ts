import { createHash, randomBytes } from 'node:crypto';
import { type Db, execute, selectOne, type Transaction } from '../../core/db/database.js';
import type { LaunchClaims } from './claims.js';

export interface ParkedLaunch {
  registration_id: string;
  claims: LaunchClaims;
}

/** Handoff tokens are 32 random bytes, base64url. */
export const HANDOFF_FORMAT = /^[A-Za-z0-9_-]{43}$/;

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Launches the browser could not finish in the LMS's iframe (it dropped the state cookie), parked
 * after full validation for a window of their own. The token is a one-time bearer secret: random,
 * stored only as its SHA-256, bound to the one launch it parks, redeemable once (the row is
 * deleted as it is read) and only within its short lifetime.
 */
export class LaunchHandoffs {
  constructor(
    private readonly db: Db,
    private readonly ttlSeconds: number,
  ) {}

  async park(registrationId: string, state: string, claims: LaunchClaims): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await execute(
      this.db,
      `INSERT INTO lti_launch_handoffs (token_hash, registration_id, state, claims, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::int))`,
      [digest(token), registrationId, state, JSON.stringify(claims), this.ttlSeconds],
    );
    return token;
  }

  /** The parked launch, taken for good; undefined when unknown, used or expired. */
  async redeem(token: string): Promise<ParkedLaunch | undefined> {
    if (!HANDOFF_FORMAT.test(token)) return undefined;
    return selectOne<ParkedLaunch>(
      this.db,
      `WITH taken AS (DELETE FROM lti_launch_handoffs WHERE token_hash = $1 RETURNING *)
       SELECT registration_id, claims FROM taken WHERE expires_at > now()`,
      [digest(token)],
    );
  }

  async purgeExpired(transaction?: Transaction): Promise<number> {
    const { count } = await execute(this.db, 'DELETE FROM lti_launch_handoffs WHERE expires_at < now()', [], transaction);
    return count;
  }
}
