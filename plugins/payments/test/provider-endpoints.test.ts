import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../core/config.js';
import { firstPartyPlugins } from '../../../plugins/index.js';
import { configureStripe, createCourse, enableCommerce, member } from '../../../test/support/commerce.js';
import { createTenant, eventually, startTestPlatform, type TestPlatform } from '../../../test/support/harness.js';
import { type SendgridStub, startSendgridStub } from '../../../test/support/sendgrid-stub.js';
import { type StripeStub, startStripeStub } from '../../../test/support/stripe-stub.js';

describe('STRIPE_API_BASE and SENDGRID_API_BASE', () => {
  it('stop start-up with a message naming the variable when they are not an http(s) origin', () => {
    expect(() => loadConfig({ STRIPE_API_BASE: 'localhost:12111' })).toThrow(ConfigError);
    expect(() => loadConfig({ STRIPE_API_BASE: 'ftp://mock.test' })).toThrow(/STRIPE_API_BASE: must be an http\(s\) URL/);
    expect(() => loadConfig({ SENDGRID_API_BASE: 'http://sink.test/v3/mail/send' })).toThrow(/SENDGRID_API_BASE: must be a scheme, host and optional port only/);
    expect(loadConfig({ STRIPE_API_BASE: 'http://127.0.0.1:12111/', SENDGRID_API_BASE: 'https://sink.test' })).toMatchObject({
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      SENDGRID_API_BASE: 'https://sink.test',
    });
  });

  describe('point the shipped plugins, unchanged, at a Stripe mock and a mail sink', () => {
    let platform: TestPlatform;
    let stripe: StripeStub;
    let sendgrid: SendgridStub;

    beforeAll(async () => {
      stripe = await startStripeStub();
      sendgrid = await startSendgridStub();
      platform = await startTestPlatform({
        plugins: firstPartyPlugins,
        env: { STRIPE_API_BASE: stripe.baseUrl, SENDGRID_API_BASE: sendgrid.baseUrl },
      });
    });
    afterAll(async () => {
      await platform?.close();
      await stripe?.close();
      await sendgrid?.close();
    });

    it('sends checkouts to the Stripe mock and emails to the sink', async () => {
      const { http, kernel } = platform;
      const acme = await createTenant(kernel, 'acme');
      await enableCommerce(kernel, acme.tenantId);
      await configureStripe(http, acme.admin, stripe);
      await http.put('/api/v1/admin/plugins/email/settings').set('Authorization', acme.admin).send({ sendgridApiKey: sendgrid.apiKey }).expect(200);
      const ada = await member(kernel, acme.tenantId, 'ada', { email: 'ada@learners.test' });

      const paid = await createCourse(http, acme.instructor, { slug: 'paid', title: 'Paid', priceCents: 900 });
      const checkout = await http.post(`/api/v1/plugins/enrollment/courses/${paid.id}/enroll`).set('Authorization', ada.auth);
      expect(checkout.body.status).toBe('checkout');
      expect(stripe.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual(['POST /v1/checkout/sessions 200']);

      const free = await createCourse(http, acme.instructor, { slug: 'free', title: 'Free' });
      await http.post(`/api/v1/plugins/enrollment/courses/${free.id}/enroll`).set('Authorization', ada.auth).expect(200);
      const [mail] = await eventually(async () => (sendgrid.accepted.length > 0 ? sendgrid.accepted : undefined));
      expect(mail).toMatchObject({ to: 'ada@learners.test', subject: 'Welcome to Free' });
    });
  });
});
