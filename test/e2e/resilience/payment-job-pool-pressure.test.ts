import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectOne } from '../../../core/db/database.js';
import type { EnrollResult } from '../../../widgets/src/api-types.js';
import { commercePlugins, configureStripe, providerEnv, createCourse, deliverWebhook, enableCommerce, member, sessionIdOf } from '../../support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { startStripeStub, type StripeStub } from '../../support/stripe-stub.js';
import { holdRowLock } from './support/row-lock.js';

/**
 * A payment's job (its own pool) turns a held seat into an enrollment under the course lock while
 * requests (the other pool) queue on that lock: the job must finish with the connection it has,
 * or it would wait for a request connection that only its own commit can free.
 */
const POOL = 3;
const LEARNERS = 16;
const SEATS = 10;

let platform: TestPlatform;
let stripe: StripeStub;
let acme: Tenancy;
let baseUrl: string;
let server: ReturnType<typeof createServer>;

beforeAll(async () => {
  stripe = await startStripeStub();
  platform = await startTestPlatform({
    plugins: commercePlugins(),
    env: { ...providerEnv({ stripe }), DATABASE_POOL_MAX: String(POOL), DATABASE_POOL_ACQUIRE_TIMEOUT_MS: '10000', OSV_RATE_LIMIT_PER_MINUTE: '100000' },
  });
  acme = await createTenant(platform.kernel, 'acme');
  await enableCommerce(platform.kernel, acme.tenantId);
  await configureStripe(platform.http, acme.admin, stripe);
  server = createServer(platform.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await platform?.close();
  await stripe?.close();
});

async function enroll(courseId: string, auth: string): Promise<{ status: number; body: EnrollResult }> {
  const response = await fetch(`${baseUrl}/api/v1/plugins/enrollment/courses/${courseId}/enroll`, { method: 'POST', headers: { authorization: auth } });
  return { status: response.status, body: (await response.json()) as EnrollResult };
}

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
