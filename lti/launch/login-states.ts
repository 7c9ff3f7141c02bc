import { randomBytes } from 'node:crypto';
import { type Db, execute, selectOne, type Transaction } from '../../core/db/database.js';

/** The login request as the LMS sent it: enough to start the same login again in a new window. */
export interface LoginRequest {
  iss: string;
  login_hint: string;
  target_link_uri: string;
  client_id?: string;
  lti_message_hint?: string;
  lti_deployment_id?: string;
}

export interface LoginState {
  state: string;
  registration_id: string;
  nonce: string;
  login: LoginRequest;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export type ConsumeOutcome = { kind: 'fresh' | 'used'; row: LoginState } | { kind: 'unknown' };

/**
 * Logins in flight. ltijs never records the nonce it sends, so a launch could carry any nonce;
 * here each state is bound to its nonce and may be used once.
 */
export class LoginStateStore {
  constructor(
    private readonly db: Db,
    private readonly ttlSeconds: number,
  ) {}

  async begin(registrationId: string, login: LoginRequest): Promise<{ state: string; nonce: string }> {
    const state = randomBytes(32).toString('base64url');
    const nonce = randomBytes(32).toString('base64url');
    await execute(
      this.db,
      `INSERT INTO lti_login_states (state, registration_id, nonce, login, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::int))`,
      [state, registrationId, nonce, JSON.stringify(login), this.ttlSeconds],
    );
    return { state, nonce };
  }

  /** Marks the state used, atomically: of two concurrent launches with one state, one gets `fresh`. */
  async consume(state: string): Promise<ConsumeOutcome> {
    const { rows } = await execute<LoginState>(
      this.db,
      `UPDATE lti_login_states SET used_at = now() WHERE state = $1 AND used_at IS NULL AND expires_at > now() RETURNING *`,
      [state],
    );
    if (rows[0]) return { kind: 'fresh', row: rows[0] };
    const seen = await selectOne<LoginState>(this.db, 'SELECT * FROM lti_login_states WHERE state = $1 AND used_at IS NOT NULL', [state]);
    return seen ? { kind: 'used', row: seen } : { kind: 'unknown' };
  }

  /** The login a state belongs to, without using it up (to attribute a refused launch). */
  peek(state: string): Promise<Pick<LoginState, 'registration_id'> | undefined> {
    return selectOne<Pick<LoginState, 'registration_id'>>(this.db, 'SELECT registration_id FROM lti_login_states WHERE state = $1', [state]);
  }

  /** Forgets logins past their lifetime (used ones are kept as long, to recognise replays). */
  async purgeExpired(transaction?: Transaction): Promise<number> {
    const { count } = await execute(this.db, `DELETE FROM lti_login_states WHERE expires_at < now() - interval '1 hour'`, [], transaction);
    return count;
  }
}
