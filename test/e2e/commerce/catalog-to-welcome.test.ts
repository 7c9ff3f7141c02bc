import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogPage, EnrollResult } from '../../../widgets/src/api-types.js';
import { commercePlugins, configureStripe, createCourse, deliverWebhook, enableCommerce, member, sessionIdOf, providerEnv } from '../../support/commerce.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { type SendgridStub, startSendgridStub } from '../../support/sendgrid-stub.js';
import { type StripeStub, startStripeStub } from '../../support/stripe-stub.js';

const SITE = 'https://www.acme.edu';
let platform: TestPlatform;
let stripe: StripeStub;
let sendgrid: SendgridStub;
let acme: Tenancy;
let siteKey: string;

beforeAll(async () => {
  [stripe, sendgrid] = await Promise.all([startStripeStub(), startSendgridStub()]);
  platform = await startTestPlatform({ redis: true, plugins: commercePlugins(), env: providerEnv({ stripe, sendgrid }) });
  acme = await createTenant(platform.kernel, 'acme');
  await enableCommerce(platform.kernel, acme.tenantId);
  siteKey = (await platform.kernel.publishableKeys.create(acme.tenantId, { name: 'site', allowedOrigins: [SITE], allowedWidgets: [] })).key;
  await configureStripe(platform.http, acme.admin, stripe);
  await platform.http.put('/api/v1/admin/plugins/email/settings').set('Authorization', acme.admin).send({ sendgridApiKey: sendgrid.apiKey }).expect(200);
});
afterAll(async () => {
  await platform?.close();
  await Promise.all([stripe?.close(), sendgrid?.close()]);
});

describe('catalog → checkout → enrolled → welcomed (BullMQ on Redis)', () => {
  it('takes a visitor from the catalog to a paid enrollment with one receipt and one welcome, whatever Stripe repeats', async () => {
    const { http, kernel } = platform;
    await createCourse(http, acme.instructor, { slug: 'data-science', title: 'Data Science with Python', summary: 'pandas and plots', priceCents: 4900, seatLimit: 10 });

    // The catalog widget, as an anonymous visitor of the university's site.
    const found = await http.get(`/api/v1/plugins/enrollment/courses?key=${siteKey}&q=pand`).set('Origin', SITE);
    const course = (found.body as CatalogPage).items[0]!;
    expect(course).toMatchObject({ slug: 'data-science', paid: true, priceCents: 4900, seatsLeft: 10 });

    // The enroll widget, once the site signed the learner in.
    const ada = await member(kernel, acme.tenantId, 'ada', { email: 'ada@learners.test', name: 'Ada' });
    const enroll = () => http.post(`/api/v1/plugins/enrollment/courses/${course.id}/enroll?key=${siteKey}`).set('Origin', SITE).set('Authorization', ada.auth).set('Idempotency-Key', 'widget-click-1');
    const checkout = (await enroll()).body as Extract<EnrollResult, { status: 'checkout' }>;
    expect(checkout.status).toBe('checkout');
    expect(stripe.requests.at(-1)!.params).toMatchObject({ success_url: `${SITE}/?osv_checkout=success` });

    // Stripe: the learner pays; the events arrive twice, interleaved with an older, stale expiry.
    const sessionId = sessionIdOf(checkout.checkoutUrl);
    const completed = stripe.completeSession(sessionId);
    const staleExpiry = stripe.event('checkout.session.expired', { ...(completed.data as { object: { id: string } }).object, status: 'expired' });
    const deliveries = await Promise.all([deliverWebhook(http, 'acme', completed), deliverWebhook(http, 'acme', completed), deliverWebhook(http, 'acme', staleExpiry)]);
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    expect((await deliverWebhook(http, 'acme', completed)).body.duplicate).toBe(true);

    const enrolled = await eventually(async () => {
      const mine = await http.get('/api/v1/plugins/enrollment/me/enrollments').set('Authorization', ada.auth);
      return mine.body.find((row: { status: string }) => row.status === 'enrolled');
    });
    expect(enrolled).toMatchObject({ courseId: course.id, source: 'checkout' });
    expect((await enroll()).body).toEqual(checkout);
    const again = await http.post(`/api/v1/plugins/enrollment/courses/${course.id}/enroll`).set('Authorization', ada.auth).set('Idempotency-Key', 'later-visit');
    expect(again.body).toEqual({ status: 'enrolled', enrollmentId: enrolled.enrollmentId });

    await eventually(async () => sendgrid.accepted.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sendgrid.accepted.map((mail) => mail.subject).sort()).toEqual(['Welcome to Data Science with Python', 'Your receipt for Data Science with Python']);
    expect(sendgrid.accepted.find((mail) => mail.subject.startsWith('Your receipt'))!.text).toContain('$49.00');
    const detail = await http.get(`/api/v1/plugins/enrollment/courses/${course.id}?key=${siteKey}`).set('Origin', SITE);
    expect(detail.body.seatsLeft).toBe(9);
  });
});
