import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectOne } from '../../../core/db/database.js';
import { createCourse, deliverWebhook, member, sessionIdOf } from '../../support/commerce.js';
import type { Tenancy, TestPlatform } from '../../support/harness.js';
import { holdRowLock } from './support/row-lock.js';
import { type SmallPoolPlatform, startSmallPoolPlatform } from './support/small-pool-platform.js';

/**
 * A payment's job (its own pool) turns a held seat into an enrollment under the course lock while
 * requests (the other pool) queue on that lock: the job must finish with the connection it has,
 * or it would wait for a request connection that only its own commit can free.
 */
const POOL = 3;
const LEARNERS = 16;
const SEATS = 10;

let platform: TestPlatform;
let acme: Tenancy;
let stripe: SmallPoolPlatform['stripe'];
let enroll: SmallPoolPlatform['enroll'];
let close: SmallPoolPlatform['close'] | undefined;

beforeAll(async () => {
  ({ platform, acme, stripe, enroll, close } = await startSmallPoolPlatform(POOL));
});
afterAll(async () => {
  await close?.();
});

describe(`a payment completing while ${LEARNERS} learners rush the course (${POOL} connections per pool)`, () => {
  it('enrolls the payer and serves every learner', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'paid-rush', title: 'Paid rush', priceCents: 4900, seatLimit: SEATS });
    const payer = await member(platform.kernel, acme.tenantId, 'payer');
    const checkout = await enroll(course.id, payer.auth);
    expect(checkout.body.status).toBe('checkout');
    const learners = await Promise.all(Array.from({ length: LEARNERS }, (_, n) => member(platform.kernel, acme.tenantId, `rush-${n}`)));

    const lock = await holdRowLock(platform.databaseUrl, 'enrollment_courses', course.id);
    const sessionId = sessionIdOf((checkout.body as { checkoutUrl: string }).checkoutUrl);
    await deliverWebhook(platform.http, acme.slug, stripe.completeSession(sessionId)).expect(200);
    // The payment's job is first in line for the course; then every request connection queues too.
    await lock.waitForWaiters(1);
    const results = learners.map((learner) => enroll(course.id, learner.auth));
    await lock.waitForWaiters(1 + POOL);
    await lock.release();

    const settled = await Promise.all(results);
    expect(settled.filter((result) => result.status !== 200)).toEqual([]);
    const payerEnrollment = await selectOne<{ status: string }>(
      platform.kernel.db,
      'SELECT status FROM enrollment_enrollments WHERE course_id = $1 AND user_id = $2',
      [course.id, payer.userId],
    );
    expect(payerEnrollment?.status).toBe('enrolled');
    expect(settled.filter((result) => result.body.status === 'checkout')).toHaveLength(SEATS - 1);
    expect(settled.filter((result) => result.body.status === 'waitlisted')).toHaveLength(LEARNERS - SEATS + 1);
  });
});
