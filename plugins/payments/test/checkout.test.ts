import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollResult } from '../../../widgets/src/api-types.js';
import { commercePlugins, configureStripe, createCourse, enableCommerce, member, sessionIdOf, providerEnv } from '../../../test/support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';
import { countOf } from '../../../test/support/jobs.js';
import { type StripeStub, startStripeStub } from '../../../test/support/stripe-stub.js';

const SITE = 'https://www.acme.edu';
let platform: TestPlatform;
let retrying: TestPlatform;
let stripe: StripeStub;
let acme: Tenancy;

const enroll = (p: TestPlatform, courseId: string, auth: string, body: object = {}, key?: string) => {
  const request = p.http.post(`/api/v1/plugins/enrollment/courses/${courseId}/enroll`).set('Authorization', auth).set('Origin', SITE);
  return (key ? request.set('Idempotency-Key', key) : request).send(body);
};
const seatsLeft = async (courseId: string) => (await platform.http.get(`/api/v1/plugins/enrollment/courses/${courseId}`).set('Authorization', acme.learner)).body.seatsLeft;

beforeAll(async () => {
  stripe = await startStripeStub();
  platform = await startTestPlatform({ plugins: commercePlugins(), env: { PUBLIC_URL: 'https://osv.acme.edu', ...providerEnv({ stripe }) } });
  acme = await createTenant(platform.kernel, 'acme');
  await enableCommerce(platform.kernel, acme.tenantId);
  await platform.kernel.publishableKeys.create(acme.tenantId, { name: 'site', allowedOrigins: [SITE], allowedWidgets: [] });
  await configureStripe(platform.http, acme.admin, stripe);
});
afterAll(async () => {
  await retrying?.close();
  await platform?.close();
  await stripe?.close();
});

describe('paid enrollment through Stripe Checkout', () => {
  it('holds a seat and answers a Stripe-hosted Checkout URL built from the catalog price, whatever the browser sends', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'paid', title: 'Data Science', priceCents: 4900, currency: 'EUR', seatLimit: 5 });
    const ada = await member(platform.kernel, acme.tenantId, 'ada', { email: 'ada@learners.test' });
    const response = await enroll(platform, course.id, ada.auth, { priceCents: 1, amount: 1, successUrl: `${SITE}/thanks`, locale: 'es' }, 'buy-1');
    expect(response.status).toBe(200);
    const result = response.body as Extract<EnrollResult, { status: 'checkout' }>;
    expect(result).toEqual({ status: 'checkout', checkoutUrl: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/), holdExpiresAt: expect.any(String) });
    const minutesHeld = (Date.parse(result.holdExpiresAt) - Date.now()) / 60_000;
    expect(minutesHeld).toBeGreaterThan(34);
    expect(minutesHeld).toBeLessThanOrEqual(35);
    expect(await seatsLeft(course.id)).toBe(4);

    const call = stripe.requests.find((request) => request.path === '/v1/checkout/sessions' && request.status === 200)!;
    expect(call.idempotencyKey).toMatch(/^osv-checkout-/);
    expect(call.params).toMatchObject({
      mode: 'payment',
      line_items: [{ quantity: '1', price_data: { currency: 'eur', unit_amount: '4900', product_data: { name: 'Data Science' } } }],
      success_url: `${SITE}/thanks`,
      cancel_url: `${SITE}/?osv_checkout=cancelled`,
      customer_email: 'ada@learners.test',
      locale: 'es',
      metadata: { osv_tenant_id: acme.tenantId, osv_course_id: course.id, osv_user_id: ada.userId, osv_hold_id: expect.any(String) },
    });
    // Stripe closes the session before the hold lapses.
    expect(Number(call.params.expires_at) * 1000).toBeLessThan(Date.parse(result.holdExpiresAt));

    // A double click, with or without the key, lands on the same session and the same hold.
    expect((await enroll(platform, course.id, ada.auth, {}, 'buy-1')).body).toEqual(result);
    expect((await enroll(platform, course.id, ada.auth, {}, 'buy-2')).body).toEqual(result);
    expect(stripe.requests.filter((request) => request.path === '/v1/checkout/sessions')).toHaveLength(1);
    expect(await seatsLeft(course.id)).toBe(4);
  });

  it('refuses return URLs on origins the tenant does not trust, before holding anything', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'paid-urls', title: 'Paid', priceCents: 1000, seatLimit: 1 });
    const bob = await member(platform.kernel, acme.tenantId, 'bob');
    const evil = await enroll(platform, course.id, bob.auth, { successUrl: 'https://evil.example/steal' });
    expect(evil.status).toBe(400);
    expect(evil.body.error.details).toEqual([{ field: 'body.successUrl', issue: expect.stringContaining('must be an http(s) URL on this site') }]);
    // The tenant's other sites are nobody else's business.
    expect(JSON.stringify(evil.body)).not.toContain('https://www.acme.edu');
    expect(JSON.stringify(evil.body)).not.toContain('https://osv.acme.edu');
    const script = await enroll(platform, course.id, bob.auth, { cancelUrl: 'javascript:alert(1)' });
    expect(script.body.error.details[0].field).toBe('body.cancelUrl');
    expect(await seatsLeft(course.id)).toBe(1);
    const ours = await enroll(platform, course.id, bob.auth, { successUrl: 'https://osv.acme.edu/done' });
    expect(ours.body.status).toBe('checkout');
  });

  it('gives the seat back and frees the key when Stripe refuses', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'paid-fail', title: 'Paid', priceCents: 1000, seatLimit: 1 });
    const cat = await member(platform.kernel, acme.tenantId, 'cat');
    stripe.failNext(500);
    const failed = await enroll(platform, course.id, cat.auth, {}, 'try');
    expect(failed.status).toBe(502);
    expect(failed.body.error).toMatchObject({ code: 'OSV_ERR_PAYMENT_PROVIDER' });
    expect(await seatsLeft(course.id)).toBe(1);
    expect(await countOf(platform.kernel, "SELECT count(*) FROM enrollment_holds WHERE user_id = $1 AND status = 'active'", [cat.userId])).toBe(0);
    const retried = await enroll(platform, course.id, cat.auth, {}, 'try');
    expect(retried.body.status).toBe('checkout');
    expect(await seatsLeft(course.id)).toBe(0);
  });

  it('waitlists when every seat is held by someone at checkout, and frees it when their session expires', async () => {
    const { http, kernel } = platform;
    const course = await createCourse(http, acme.instructor, { slug: 'paid-full', title: 'Paid', priceCents: 1000, seatLimit: 1 });
    const dan = await member(kernel, acme.tenantId, 'dan');
    const eve = await member(kernel, acme.tenantId, 'eve');
    const held = await enroll(platform, course.id, dan.auth);
    expect((await enroll(platform, course.id, eve.auth)).body).toMatchObject({ status: 'waitlisted', position: 1 });
    // The hold's delayed job: make it due, then run it.
    await kernel.db.query("UPDATE enrollment_holds SET expires_at = now() - interval '1 second' WHERE user_id = :user", { replacements: { user: dan.userId } });
    const [hold] = (await kernel.db.query('SELECT id FROM enrollment_holds WHERE user_id = :user', { replacements: { user: dan.userId } }))[0] as Array<{ id: string }>;
    await kernel.jobs.enqueue('enrollment:expire-hold', { holdId: hold!.id }, { tenantId: acme.tenantId });
    await expect.poll(async () => (await kernel.db.query(`SELECT status FROM enrollment_holds WHERE id = '${hold!.id}'`))[0], { timeout: 10_000 }).toEqual([{ status: 'expired' }]);
    // The seat went to the waitlist: Eve now holds an offer and gets her own Checkout when she comes back.
    const offered = await enroll(platform, course.id, eve.auth);
    expect(offered.body.status).toBe('checkout');
    expect(offered.body.checkoutUrl).not.toBe(held.body.checkoutUrl);
    expect(Date.parse(offered.body.holdExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
  });

  it('retries through the SDK with one Idempotency-Key, so a lost answer never makes a second session', async () => {
    retrying = await startTestPlatform({ plugins: commercePlugins({ maxNetworkRetries: 2 }), env: providerEnv({ stripe }) });
    const tenant = await createTenant(retrying.kernel, 'retry');
    await enableCommerce(retrying.kernel, tenant.tenantId);
    await configureStripe(retrying.http, tenant.admin, stripe);
    const course = await createCourse(retrying.http, tenant.instructor, { slug: 'retry', title: 'Retry', priceCents: 700 });
    const fay = await member(retrying.kernel, tenant.tenantId, 'fay');
    const before = stripe.requests.length;
    stripe.failNext(500, 2);
    const response = await enroll(retrying, course.id, fay.auth);
    expect(response.body.status).toBe('checkout');
    const calls = stripe.requests.slice(before);
    expect(calls.map((call) => call.status)).toEqual([500, 500, 200]);
    expect(new Set(calls.map((call) => call.idempotencyKey)).size).toBe(1);
    expect(stripe.sessions.has(sessionIdOf(response.body.checkoutUrl))).toBe(true);
  });
});
