import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commercePlugins,
  configureStripe,
  createCourse,
  deliverWebhook,
  enableCommerce,
  member,
  providerEnv,
  sessionIdOf,
} from '../../../test/support/commerce.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';
import { countOf } from '../../../test/support/jobs.js';
import { type StripeStub, startStripeStub } from '../../../test/support/stripe-stub.js';

let platform: TestPlatform;
let stripe: StripeStub;
let acme: Tenancy;

type Row = { userId: string; status: string; paymentRef: string | null; cancelReason: string | null };
const roster = async (courseId: string) =>
  (await platform.http.get(`/api/v1/plugins/enrollment/courses/${courseId}/roster`).set('Authorization', acme.instructor)).body as Row[];
const statusOf = async (courseId: string, userId: string) => (await roster(courseId)).filter((row) => row.userId === userId).map((row) => row.status);

/** A learner who reached Stripe Checkout for the course; returns the session id. */
async function checkout(courseId: string, name: string) {
  const learner = await member(platform.kernel, acme.tenantId, name);
  const response = await platform.http.post(`/api/v1/plugins/enrollment/courses/${courseId}/enroll`).set('Authorization', learner.auth);
  expect(response.body.status).toBe('checkout');
  return { ...learner, sessionId: sessionIdOf(response.body.checkoutUrl) };
}

beforeAll(async () => {
  stripe = await startStripeStub();
  platform = await startTestPlatform({ plugins: commercePlugins(), env: providerEnv({ stripe }) });
  acme = await createTenant(platform.kernel, 'acme');
  await enableCommerce(platform.kernel, acme.tenantId);
  await configureStripe(platform.http, acme.admin, stripe);
});
afterAll(async () => {
  await platform?.close();
  await stripe?.close();
});

describe('the Stripe webhook', () => {
  it('enrolls on a valid, signed checkout.session.completed, exactly once however often Stripe delivers it', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'paid', title: 'Paid', priceCents: 2500, seatLimit: 3 });
    const ada = await checkout(course.id, 'ada');
    const completed = stripe.completeSession(ada.sessionId);
    const first = await deliverWebhook(platform.http, 'acme', completed);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, duplicate: false, outcome: 'applied' });
    const repeats = await Promise.all([1, 2, 3].map(() => deliverWebhook(platform.http, 'acme', completed)));
    expect(repeats.map((repeat) => repeat.body.duplicate)).toEqual([true, true, true]);
    await eventually(async () => (await statusOf(course.id, ada.userId)).includes('enrolled'));
    expect(await statusOf(course.id, ada.userId)).toEqual(['enrolled']);
    expect(await countOf(platform.kernel, "SELECT count(*) FROM outbox WHERE name = 'enrollment:on:payments.checkout.completed'")).toBe(1);
    const seats = await platform.http.get(`/api/v1/plugins/enrollment/courses/${course.id}`).set('Authorization', acme.learner);
    expect(seats.body.seatsLeft).toBe(2);
  });

  it('refuses a bad secret, a stale timestamp, a re-serialised body and a missing signature, changing nothing', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'paid-forged', title: 'Paid', priceCents: 2500 });
    const bob = await checkout(course.id, 'bob');
    const completed = stripe.completeSession(bob.sessionId);
    const badSecret = await deliverWebhook(platform.http, 'acme', completed, { secret: 'whsec_notthetenantssecret' });
    expect(badSecret.status).toBe(400);
    expect(badSecret.body.error.code).toBe('OSV_ERR_WEBHOOK_SIGNATURE');
    const stale = await deliverWebhook(platform.http, 'acme', completed, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.body.error.code).toBe('OSV_ERR_WEBHOOK_SIGNATURE');
    // Same JSON, other bytes (as a JSON-parsing middleware would re-serialise it): not what Stripe signed.
    const reserialised = await deliverWebhook(platform.http, 'acme', completed, { body: JSON.stringify(completed) });
    expect(reserialised.body.error.code).toBe('OSV_ERR_WEBHOOK_SIGNATURE');
    const unsigned = await platform.http.post('/api/v1/plugins/payments/webhooks/stripe?tenant=acme').set('Content-Type', 'application/json').send(JSON.stringify(completed));
    expect(unsigned.status).toBe(400);
    const otherTenant = await platform.http.post('/api/v1/plugins/payments/webhooks/stripe?tenant=nobody').send('{}');
    expect(otherTenant.status).toBe(404);
    expect(await countOf(platform.kernel, 'SELECT count(*) FROM payments_events WHERE tenant_id = $1 AND stripe_event_id = $2', [acme.tenantId, completed.id])).toBe(0);
    expect(await statusOf(course.id, bob.userId)).toEqual([]);
    // The genuine delivery still works afterwards.
    expect((await deliverWebhook(platform.http, 'acme', completed)).body.outcome).toBe('applied');
  });

  it('copes with events out of order: a refund before its payment, an expiry after it', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'paid-order', title: 'Paid', priceCents: 3000 });
    const cat = await checkout(course.id, 'cat');
    const completed = stripe.completeSession(cat.sessionId);
    const paymentIntent = (completed.data as { object: { payment_intent: string } }).object.payment_intent;
    // Refund made in the dashboard; its event overtakes the completion.
    const refund = await stripeRefund(paymentIntent);
    expect(refund.status).toBe('succeeded');
    const early = await deliverWebhook(platform.http, 'acme', stripe.chargeRefundedEvent(paymentIntent));
    expect(early.body.outcome).toBe('deferred');
    const expired = stripe.event('checkout.session.expired', { ...(completed.data as { object: { id: string } }).object, status: 'expired' });
    expect((await deliverWebhook(platform.http, 'acme', completed)).body.outcome).toBe('applied');
    expect((await deliverWebhook(platform.http, 'acme', expired)).body.outcome).toBe('ignored');
    // The completion enrolled her, then the waiting refund cancelled the enrollment (full refund policy).
    await eventually(async () => (await roster(course.id)).find((row) => row.userId === cat.userId && row.status === 'cancelled'));
    expect((await roster(course.id)).filter((row) => row.userId === cat.userId)).toEqual([
      expect.objectContaining({ status: 'cancelled', cancelReason: 'refunded' }),
    ]);
  });

  it('refunds from the admin API; charge.refunded cancels per the tenant policy and the seat goes to the waitlist', async () => {
    const { http, kernel } = platform;
    const course = await createCourse(http, acme.instructor, { slug: 'paid-refund', title: 'Paid', priceCents: 5000, seatLimit: 1 });
    const dan = await checkout(course.id, 'dan');
    const waiting = await member(kernel, acme.tenantId, 'waiting');
    expect((await http.post(`/api/v1/plugins/enrollment/courses/${course.id}/enroll`).set('Authorization', waiting.auth)).body.status).toBe('waitlisted');
    const completed = stripe.completeSession(dan.sessionId);
    await deliverWebhook(http, 'acme', completed);
    await eventually(async () => (await statusOf(course.id, dan.userId)).includes('enrolled'));
    const checkouts = await http.get('/api/v1/plugins/payments/checkouts').set('Authorization', acme.admin);
    const paid = checkouts.body.find((row: { sessionId: string }) => row.sessionId === dan.sessionId);
    expect(paid).toMatchObject({ status: 'completed', amountCents: 5000, amountRefundedCents: 0 });
    expect((await http.get('/api/v1/plugins/payments/checkouts').set('Authorization', acme.instructor)).status).toBe(403);

    // A partial refund keeps the enrollment under the default policy (cancel on full refund only).
    const refundPath = `/api/v1/plugins/payments/checkouts/${paid.checkoutId}/refund`;
    const partial = await http.post(refundPath).set('Authorization', acme.admin).send({ amountCents: 1000 });
    expect(partial.status).toBe(202);
    // A second refund of the same amount is a second refund, not a replay of the first.
    const second = await http.post(refundPath).set('Authorization', acme.admin).send({ amountCents: 1000 });
    expect(second.status).toBe(202);
    expect(second.body.stripeRefundId).not.toBe(partial.body.stripeRefundId);
    // A retried request (same Idempotency-Key) is one refund; the key cannot be reused for another amount.
    const keyed = await http.post(refundPath).set('Authorization', acme.admin).set('Idempotency-Key', 'goodwill-1').send({ amountCents: 500 });
    const retried = await http.post(refundPath).set('Authorization', acme.admin).set('Idempotency-Key', 'goodwill-1').send({ amountCents: 500 });
    expect(retried.body).toEqual(keyed.body);
    const reused = await http.post(refundPath).set('Authorization', acme.admin).set('Idempotency-Key', 'goodwill-1').send({ amountCents: 700 });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('OSV_ERR_IDEMPOTENCY_KEY_REUSED');
    expect(await countOf(kernel, 'SELECT count(*) FROM payments_refunds WHERE checkout_id = $1', [paid.checkoutId])).toBe(3);
    await deliverWebhook(http, 'acme', stripe.chargeRefundedEvent(paymentIntentOf(completed)));
    const tooMuch = await http.post(`/api/v1/plugins/payments/checkouts/${paid.checkoutId}/refund`).set('Authorization', acme.admin).send({ amountCents: 999_999 });
    expect(tooMuch.body.error.code).toBe('OSV_ERR_REFUND_NOT_ALLOWED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await statusOf(course.id, dan.userId)).toEqual(['enrolled']);

    const rest = await http.post(`/api/v1/plugins/payments/checkouts/${paid.checkoutId}/refund`).set('Authorization', acme.admin).set('Idempotency-Key', 'rest-1').send({});
    expect(rest.body.amountCents).toBe(2500);
    await deliverWebhook(http, 'acme', stripe.chargeRefundedEvent(paymentIntentOf(completed)));
    await eventually(async () => (await statusOf(course.id, dan.userId)).includes('cancelled'));
    // The freed seat of a paid course is offered to the first in line, held for them to pay.
    await eventually(async () => (await countOf(kernel, "SELECT count(*) FROM enrollment_holds WHERE user_id = $1 AND purpose = 'offer' AND status = 'active'", [waiting.userId])) === 1);
  });

  it('keeps the enrollment on refund when the tenant says so', async () => {
    const { http } = platform;
    await http.put('/api/v1/admin/plugins/enrollment/settings').set('Authorization', acme.admin).send({ refundPolicy: 'keep-enrollment' }).expect(200);
    const course = await createCourse(http, acme.instructor, { slug: 'paid-keep', title: 'Paid', priceCents: 800 });
    const eve = await checkout(course.id, 'eve');
    const completed = stripe.completeSession(eve.sessionId);
    await deliverWebhook(http, 'acme', completed);
    await eventually(async () => (await statusOf(course.id, eve.userId)).includes('enrolled'));
    await stripeRefund(paymentIntentOf(completed));
    expect((await deliverWebhook(http, 'acme', stripe.chargeRefundedEvent(paymentIntentOf(completed)))).body.outcome).toBe('applied');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await statusOf(course.id, eve.userId)).toEqual(['enrolled']);
    await http.put('/api/v1/admin/plugins/enrollment/settings').set('Authorization', acme.admin).send({ refundPolicy: 'cancel-on-full-refund' }).expect(200);
  });

  it('keeps the Stripe secrets encrypted and never shows them', async () => {
    const settings = await platform.http.get('/api/v1/admin/plugins/payments/settings').set('Authorization', acme.admin);
    expect(JSON.stringify(settings.body)).not.toContain(stripe.secretKey);
    expect(JSON.stringify(settings.body)).not.toContain('whsec_');
    const [row] = (await platform.kernel.db.query("SELECT settings::text, secrets_encrypted FROM tenant_plugins WHERE plugin_id = 'payments'"))[0] as Array<{ settings: string; secrets_encrypted: string }>;
    expect(`${row!.settings}${row!.secrets_encrypted}`).not.toContain(stripe.secretKey);
  });
});

const paymentIntentOf = (event: Record<string, unknown>) => (event.data as { object: { payment_intent: string } }).object.payment_intent;

/** A refund made outside osv (the Stripe dashboard). */
async function stripeRefund(paymentIntent: string): Promise<{ status: string }> {
  const response = await fetch(`${stripe.baseUrl}/v1/refunds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stripe.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payment_intent: paymentIntent }).toString(),
  });
  return (await response.json()) as { status: string };
}
