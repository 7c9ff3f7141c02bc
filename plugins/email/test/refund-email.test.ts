import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commercePlugins, configureStripe, createCourse, deliverWebhook, enableCommerce, member, sessionIdOf, providerEnv } from '../../../test/support/commerce.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';
import { type StripeStub, startStripeStub } from '../../../test/support/stripe-stub.js';

let platform: TestPlatform;
let stripe: StripeStub;
let acme: Tenancy;

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

type Message = { template: string; locale: string; text: string; html: string };
const refundEmails = async (): Promise<Message[]> =>
  ((await platform.http.get('/api/v1/plugins/email/outbox').set('Authorization', acme.admin)).body as Message[]).filter((message) => message.template === 'refund');

/** A learner who paid for the course through Checkout; returns the checkout id and PaymentIntent. */
async function paidCheckout(courseId: string, name: string, language = 'en') {
  const learner = await member(platform.kernel, acme.tenantId, name, { email: `${name}@learners.test`, name });
  const started = await platform.http.post(`/api/v1/plugins/enrollment/courses/${courseId}/enroll`).set('Authorization', learner.auth).send({ locale: language });
  const completed = stripe.completeSession(sessionIdOf(started.body.checkoutUrl));
  await deliverWebhook(platform.http, 'acme', completed).expect(200);
  const paymentIntent = (completed.data as { object: { payment_intent: string } }).object.payment_intent;
  const checkoutId = await eventually(async () => {
    const list = await platform.http.get('/api/v1/plugins/payments/checkouts').set('Authorization', acme.admin);
    return (list.body as Array<{ checkoutId: string; courseId: string; status: string }>).find((row) => row.courseId === courseId && row.status === 'completed')?.checkoutId;
  });
  return { checkoutId, paymentIntent };
}

async function refund(checkoutId: string, paymentIntent: string, amountCents: number) {
  await platform.http.post(`/api/v1/plugins/payments/checkouts/${checkoutId}/refund`).set('Authorization', acme.admin).send({ amountCents }).expect(202);
  await deliverWebhook(platform.http, 'acme', stripe.chargeRefundedEvent(paymentIntent)).expect(200);
}

describe('refund emails', () => {
  it('state the amount of each refund, and the total refunded so far labelled as such', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'refunds', title: 'Machine Learning', priceCents: 4900 });
    const { checkoutId, paymentIntent } = await paidCheckout(course.id, 'ada');
    await refund(checkoutId, paymentIntent, 1000);
    await eventually(async () => (await refundEmails()).length === 1);
    await refund(checkoutId, paymentIntent, 1000);
    const [second, first] = await eventually(async () => {
      const emails = await refundEmails();
      return emails.length === 2 ? emails : undefined;
    });
    expect(first!.text).toContain('We refunded $10.00 for Machine Learning.');
    expect(first!.text).toContain('Total refunded for this payment so far: $10.00.');
    expect(second!.text).toContain('We refunded $10.00 for Machine Learning.');
    expect(second!.text).not.toContain('We refunded $20.00');
    expect(second!.text).toContain('Total refunded for this payment so far: $20.00.');
    expect(second!.html).toContain('<p>Total refunded for this payment so far: $20.00.</p>');
  });

  it('say the same in Spanish', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'reembolsos', title: 'Estadística', priceCents: 3000 });
    const { checkoutId, paymentIntent } = await paidCheckout(course.id, 'bea', 'es');
    await refund(checkoutId, paymentIntent, 500);
    await refund(checkoutId, paymentIntent, 700);
    const spanish = await eventually(async () => {
      const emails = (await refundEmails()).filter((message) => message.locale === 'es');
      return emails.length === 2 ? emails : undefined;
    });
    const latest = spanish[0]!.text.replace(/\u00a0/g, ' ');
    expect(latest).toContain('Te hemos reembolsado 7,00 US$ por Estadística.');
    expect(latest).toContain('Total reembolsado de este pago hasta ahora: 12,00 US$.');
  });
});
