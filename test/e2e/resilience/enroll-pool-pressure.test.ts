import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectOne, selectRows } from '../../../core/db/database.js';
import type { EnrollResult } from '../../../widgets/src/api-types.js';
import { commercePlugins, configureStripe, providerEnv, createCourse, enableCommerce, member } from '../../support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { startStripeStub, type StripeStub } from '../../support/stripe-stub.js';
import { holdRowLock } from './support/row-lock.js';

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
let stripe: StripeStub;
let acme: Tenancy;
let baseUrl: string;
let server: ReturnType<typeof createServer>;

beforeAll(async () => {
  stripe = await startStripeStub();
  platform = await startTestPlatform({
    plugins: commercePlugins(),
    // A wait for a connection that never comes fails the request after this long.
    env: { ...providerEnv({ stripe }), DATABASE_POOL_MAX: String(POOL), DATABASE_POOL_ACQUIRE_TIMEOUT_MS: '10000', OSV_RATE_LIMIT_PER_MINUTE: '100000' },
    kernel: { runWorkers: false },
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

async function learners(label: string) {
  return Promise.all(Array.from({ length: LEARNERS }, (_, n) => member(platform.kernel, acme.tenantId, `${label}-${n}`)));
}

async function enroll(courseId: string, auth: string): Promise<{ status: number; body: EnrollResult }> {
  const response = await fetch(`${baseUrl}/api/v1/plugins/enrollment/courses/${courseId}/enroll`, { method: 'POST', headers: { authorization: auth } });
  return { status: response.status, body: (await response.json()) as EnrollResult };
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
