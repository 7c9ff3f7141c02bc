import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollResult } from '../../../widgets/src/api-types.js';
import { selectRows } from '../../../core/db/database.js';
import { commercePlugins, createCourse, enableCommerce, member } from '../../../test/support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';

const SEATS = 20;
const USERS = 250;

let platform: TestPlatform;
let acme: Tenancy;
let baseUrl: string;
let server: ReturnType<typeof createServer>;

beforeAll(async () => {
  platform = await startTestPlatform({ redis: true, plugins: commercePlugins(), env: { OSV_RATE_LIMIT_PER_MINUTE: '100000' } });
  acme = await createTenant(platform.kernel, 'acme');
  await enableCommerce(platform.kernel, acme.tenantId);
  server = createServer(platform.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await platform?.close();
});

describe('enrolling under contention', () => {
  it(`gives ${SEATS} seats to exactly ${SEATS} of 500 simultaneous attempts, waitlists the rest, and never enrolls anyone twice`, async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'popular', title: 'Popular', seatLimit: SEATS });
    const members = await Promise.all(Array.from({ length: USERS }, (_, n) => member(platform.kernel, acme.tenantId, `learner-${n}`)));
    // Every learner double-clicks: half repeat the same Idempotency-Key, half send two different keys.
    const attempts = members.flatMap((learner, n) => [
      { learner, key: `k-${n}-a` },
      { learner, key: n % 2 === 0 ? `k-${n}-a` : `k-${n}-b` },
    ]);
    const results = await Promise.all(
      attempts.map(async ({ learner, key }) => {
        const response = await fetch(`${baseUrl}/api/v1/plugins/enrollment/courses/${course.id}/enroll`, {
          method: 'POST',
          headers: { authorization: learner.auth, 'idempotency-key': key },
        });
        return { userId: learner.userId, status: response.status, body: (await response.json()) as EnrollResult };
      }),
    );
    expect(results.filter((result) => result.status !== 200)).toEqual([]);

    const byUser = new Map<string, EnrollResult[]>();
    for (const result of results) byUser.set(result.userId, [...(byUser.get(result.userId) ?? []), result.body]);
    // Both clicks of one learner get the same answer about the same enrollment.
    for (const [, answers] of byUser) {
      expect(answers[0]!.status).toBe(answers[1]!.status);
      expect((answers[0] as { enrollmentId: string }).enrollmentId).toBe((answers[1] as { enrollmentId: string }).enrollmentId);
    }
    const firstAnswers = [...byUser.values()].map((answers) => answers[0]!);
    expect(firstAnswers.filter((answer) => answer.status === 'enrolled')).toHaveLength(SEATS);
    expect(firstAnswers.filter((answer) => answer.status === 'waitlisted')).toHaveLength(USERS - SEATS);
    const positions = firstAnswers.flatMap((answer) => (answer.status === 'waitlisted' ? [answer.position] : [])).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: USERS - SEATS }, (_, n) => n + 1));

    const [counts] = await selectRows<{ enrolled: string; waitlisted: string; users: string; rows: string; seats_taken: number }>(
      platform.kernel.db,
      `SELECT count(*) FILTER (WHERE e.status = 'enrolled') AS enrolled, count(*) FILTER (WHERE e.status = 'waitlisted') AS waitlisted,
              count(DISTINCT e.user_id) AS users, count(*) AS rows, max(c.seats_taken) AS seats_taken
       FROM enrollment_enrollments e JOIN enrollment_courses c ON c.id = e.course_id WHERE e.course_id = $1`,
      [course.id],
    );
    expect(counts).toEqual({ enrolled: String(SEATS), waitlisted: String(USERS - SEATS), users: String(USERS), rows: String(USERS), seats_taken: SEATS });
  });
});
