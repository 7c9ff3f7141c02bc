import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AccessTokens } from '../core/auth/access-tokens.js';
import type { Cleanup } from './support/cleanup.js';
import { type CommerceServer, PUBLIC_URL, startCommerceServer } from './support/commerce.js';
import { type Comparison, compare } from './support/comparison.js';
import { progress } from './support/progress.js';

export interface ContentionSettings {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  /** Simultaneous attempts per course, each by a different learner. */
  attempts: number;
  seats: number;
  rounds: number;
  poolMax: number;
}

export interface ContentionResult {
  /** Enroll attempts per second through POST /courses/:id/enroll vs the same row-locked transaction in raw SQL. */
  throughput: Comparison;
  /** Seats given beyond the limit by osv (value) vs a naive check-then-insert without the lock (baseline). */
  oversell: Comparison;
}

type Attempt = (courseId: string, userId: string) => Promise<void>;

async function createCourse(pool: pg.Pool, tenantId: string, seats: number): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO enrollment_courses (tenant_id, slug, title, status, seat_limit) VALUES ($1, $2, 'Contended course', 'published', $3) RETURNING id`,
    [tenantId, `contended-${randomUUID()}`, seats],
  );
  return rows[0]!.id;
}

/** Seats handed out beyond the course's limit. */
async function oversold(pool: pg.Pool, courseId: string): Promise<number> {
  const { rows } = await pool.query<{ extra: number }>(
    `SELECT greatest(0, count(*) FILTER (WHERE e.status = 'enrolled') - max(c.seat_limit))::int AS extra
     FROM enrollment_courses c LEFT JOIN enrollment_enrollments e ON e.course_id = c.id WHERE c.id = $1`,
    [courseId],
  );
  return rows[0]!.extra;
}

/** The transaction the plugin runs, written by hand: lock the course, check, insert, count the seat. */
function rawLockedAttempt(pool: pg.Pool, tenantId: string): Attempt {
  return async (courseId, userId) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ seat_limit: number | null; seats_taken: number }>(
        'SELECT seat_limit, seats_taken FROM enrollment_courses WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
        [tenantId, courseId],
      );
      const course = rows[0]!;
      const existing = await client.query(
        `SELECT id FROM enrollment_enrollments WHERE tenant_id = $1 AND course_id = $2 AND user_id = $3 AND status IN ('enrolled', 'waitlisted')`,
        [tenantId, courseId, userId],
      );
      if (existing.rowCount === 0) {
        if (course.seat_limit === null || course.seats_taken < course.seat_limit) {
          await client.query('UPDATE enrollment_courses SET seats_taken = seats_taken + 1 WHERE tenant_id = $1 AND id = $2', [tenantId, courseId]);
          await client.query(`INSERT INTO enrollment_enrollments (tenant_id, course_id, user_id, status, source, enrolled_at) VALUES ($1, $2, $3, 'enrolled', 'self', now())`, [tenantId, courseId, userId]);
        } else {
          const { rows: inserted } = await client.query<{ seq: string }>(
            `INSERT INTO enrollment_enrollments (tenant_id, course_id, user_id, status, source) VALUES ($1, $2, $3, 'waitlisted', 'self') RETURNING seq`,
            [tenantId, courseId, userId],
          );
          await client.query(`SELECT count(*) FROM enrollment_enrollments WHERE tenant_id = $1 AND course_id = $2 AND status = 'waitlisted' AND seq <= $3`, [tenantId, courseId, inserted[0]!.seq]);
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
}

/** What the lock prevents: count the enrolled, then insert, with nothing between the two. */
function naiveAttempt(pool: pg.Pool, tenantId: string): Attempt {
  return async (courseId, userId) => {
    const { rows } = await pool.query<{ taken: number; seat_limit: number }>(
      `SELECT (SELECT count(*)::int FROM enrollment_enrollments WHERE tenant_id = $1 AND course_id = $2 AND status = 'enrolled') AS taken,
              (SELECT seat_limit FROM enrollment_courses WHERE tenant_id = $1 AND id = $2) AS seat_limit`,
      [tenantId, courseId],
    );
    const status = rows[0]!.taken < rows[0]!.seat_limit ? 'enrolled' : 'waitlisted';
    await pool.query(`INSERT INTO enrollment_enrollments (tenant_id, course_id, user_id, status, source) VALUES ($1, $2, $3, $4, 'self')`, [tenantId, courseId, userId, status]);
  };
}

function httpAttempt(server: CommerceServer, tokens: Map<string, string>): Attempt {
  return async (courseId, userId) => {
    const response = await fetch(`${server.server.url}/api/v1/plugins/enrollment/courses/${courseId}/enroll`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get(userId)}` },
    });
    const body = (await response.json()) as { status?: string };
    if (response.status !== 200 || (body.status !== 'enrolled' && body.status !== 'waitlisted')) {
      throw new Error(`enroll answered ${response.status}: ${JSON.stringify(body)}`);
    }
  };
}

/** One course, every learner trying at once; returns the seconds it took and the seats oversold. */
async function round(pool: pg.Pool, tenantId: string, settings: ContentionSettings, users: string[], attempt: Attempt) {
  const courseId = await createCourse(pool, tenantId, settings.seats);
  const started = performance.now();
  await Promise.all(users.map((userId) => attempt(courseId, userId)));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, oversold: await oversold(pool, courseId) };
}

/**
 * `attempts` learners enroll in a `seats`-seat course at the same moment, through the HTTP API
 * (auth, validation, the plugin's transaction, events) and through the bare row-locked SQL
 * transaction, alternating rounds; then once with a naive check-then-insert to show what the lock
 * prevents.
 */
export async function measureEnrollmentContention(settings: ContentionSettings, cleanup: Cleanup): Promise<ContentionResult> {
  const commerce = await startCommerceServer({ ...settings, tenant: 'bench-contention' }, cleanup);
  try {
    return await contend(commerce, settings);
  } catch (error) {
    const failures = commerce.server.output.filter((line) => line.includes('"level":50')).slice(-3);
    if (failures.length > 0) progress(`enrollment: server errors:\n${failures.join('\n')}`);
    throw error;
  } finally {
    await commerce.stop();
  }
}

async function contend(commerce: CommerceServer, settings: ContentionSettings): Promise<ContentionResult> {
  {
    const { pool, tenantId } = commerce;
    const users = Array.from({ length: settings.attempts }, () => randomUUID());
    const issuer = new AccessTokens(Buffer.from(commerce.signingKey, 'base64'), PUBLIC_URL);
    const tokens = new Map<string, string>();
    for (const userId of users) tokens.set(userId, (await issuer.issue({ tenantId, userId, role: 'learner', scope: [] }, 3600)).token);
    const viaHttp = httpAttempt(commerce, tokens);
    const viaSql = rawLockedAttempt(pool, tenantId);

    progress(`enrollment: warm-up round (${settings.attempts} attempts, ${settings.seats} seats)`);
    await round(pool, tenantId, settings, users, viaHttp);
    await round(pool, tenantId, settings, users, viaSql);
    const totals = { http: 0, sql: 0, httpOversold: 0, sqlOversold: 0 };
    for (let n = 1; n <= settings.rounds; n++) {
      const http = await round(pool, tenantId, settings, users, viaHttp);
      const sql = await round(pool, tenantId, settings, users, viaSql);
      totals.http += http.seconds;
      totals.sql += sql.seconds;
      totals.httpOversold += http.oversold;
      totals.sqlOversold += sql.oversold;
      progress(`enrollment: round ${n}: http ${Math.round(settings.attempts / http.seconds)}/s, raw SQL ${Math.round(settings.attempts / sql.seconds)}/s`);
    }
    const naive = await round(pool, tenantId, settings, users, naiveAttempt(pool, tenantId));
    const attempts = settings.attempts * settings.rounds;
    progress(`enrollment: oversold seats: http ${totals.httpOversold}, raw SQL ${totals.sqlOversold}, naive check-then-insert ${naive.oversold} (one round)`);
    if (totals.sqlOversold !== 0) throw new Error(`the raw SQL baseline oversold ${totals.sqlOversold} seats`);
    return {
      throughput: compare(attempts / totals.http, attempts / totals.sql, 'enroll attempts/s'),
      oversell: { value: totals.httpOversold, unit: `seats oversold in ${settings.rounds} rounds (baseline: naive check-then-insert, 1 round)`, baseline: naive.oversold, ratio: naive.oversold === 0 ? 0 : Math.round((totals.httpOversold / naive.oversold) * 1000) / 1000 },
    };
  }
}
