import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectOne, selectRows } from '../../../core/db/database.js';
import { createCourse, member } from '../../support/commerce.js';
import type { Tenancy, TestPlatform } from '../../support/harness.js';
import type { EnrollResult } from '../../../widgets/src/api-types.js';
import { holdRowLock } from './support/row-lock.js';
import { type SmallPoolPlatform, startSmallPoolPlatform } from './support/small-pool-platform.js';

/**
 * More learners than pool connections enroll in one course at once. The course row lock queues
 * them, so the transaction holding it must finish with the connection it has: were it to wait for
 * another one (a settings read, a plugin lookup outside its transaction), the pool would be held by
 * the transactions queued behind it and nothing would move until the acquire timeout.
 */
const POOL = 3;
const LEARNERS = 16;
const SEATS = 10;

let platform: TestPlatform;
let acme: Tenancy;
let enroll: SmallPoolPlatform['enroll'];
let close: SmallPoolPlatform['close'] | undefined;

beforeAll(async () => {
  ({ platform, acme, enroll, close } = await startSmallPoolPlatform(POOL, { runWorkers: false }));
});
afterAll(async () => {
  await close?.();
});

async function learners(label: string) {
  return Promise.all(Array.from({ length: LEARNERS }, (_, n) => member(platform.kernel, acme.tenantId, `${label}-${n}`)));
}

async function seatsTaken(courseId: string): Promise<number | undefined> {
  const row = await selectOne<{ seats_taken: number }>(platform.kernel.db, 'SELECT seats_taken FROM enrollment_courses WHERE id = $1', [courseId]);
  return row?.seats_taken;
}

function countBy(results: { body: EnrollResult }[], status: EnrollResult['status']): number {
  return results.filter((result) => result.body.status === status).length;
}

describe(`${LEARNERS} learners enrolling in one course with ${POOL} pool connections`, () => {
  it('sells the seats of a paid course: payment settings are read in the transaction holding the course lock', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'paid-rush', title: 'Paid rush', priceCents: 4900, seatLimit: SEATS });
    const members = await learners('paid');
    // Someone else holds the course row while the requests arrive: every pool connection ends up in
    // a transaction queued on that lock before the first of them gets it.
    const lock = await holdRowLock(platform.databaseUrl, 'enrollment_courses', course.id);
    const results = members.map((learner) => enroll(course.id, learner.auth));
    await lock.waitForWaiters(POOL);
    await lock.release();

    const settled = await Promise.all(results);
    expect(settled.filter((result) => result.status !== 200)).toEqual([]);
    expect(countBy(settled, 'checkout')).toBe(SEATS);
    expect(countBy(settled, 'waitlisted')).toBe(LEARNERS - SEATS);
    expect(await seatsTaken(course.id)).toBe(SEATS);
  });

  it('enrolls everyone it can in a free course while the plugin states are being reloaded outside any transaction', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'free-rush', title: 'Free rush', seatLimit: SEATS });
    const members = await learners('free');
    const lock = await holdRowLock(platform.databaseUrl, 'enrollment_courses', course.id);
    const first = members.slice(0, 2).map((learner) => enroll(course.id, learner.auth));
    await lock.waitForWaiters(2);
    // An admin switches a plugin on again: the tenant's cached plugin states are dropped.
    await platform.kernel.plugins.setEnabled(acme.tenantId, 'email', true);
    // The last free connection joins the queue on the course.
    const queuedWriter = platform.kernel.db.transaction((tx) =>
      selectRows(platform.kernel.db, 'SELECT id FROM enrollment_courses WHERE id = $1 FOR UPDATE', [course.id], tx),
    );
    await lock.waitForWaiters(POOL);
    // Another request reloads the plugin states with no transaction: that load waits for a connection.
    const reload = platform.kernel.plugins.isEnabled(acme.tenantId, 'enrollment');
    const rest = members.slice(2).map((learner) => enroll(course.id, learner.auth));
    await lock.release();

    const settled = await Promise.all([...first, ...rest]);
    expect(settled.filter((result) => result.status !== 200)).toEqual([]);
    expect(countBy(settled, 'enrolled')).toBe(SEATS);
    expect(countBy(settled, 'waitlisted')).toBe(LEARNERS - SEATS);
    expect(await seatsTaken(course.id)).toBe(SEATS);
    await queuedWriter;
    expect(await reload).toBe(true);
  });
});
