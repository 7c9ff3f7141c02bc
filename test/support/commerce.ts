import Stripe from 'stripe';
import type supertest from 'supertest';
import type { Kernel } from '../../core/kernel.js';
import type { OsvPlugin } from '../../core/plugin-api.js';
import { createEmailPlugin } from '../../plugins/email/plugin.js';
import enrollment from '../../plugins/enrollment/plugin.js';
import { createPaymentsPlugin } from '../../plugins/payments/plugin.js';
import type { SendgridStub } from './sendgrid-stub.js';
import type { StripeStub } from './stripe-stub.js';

export const WEBHOOK_SECRET = 'whsec_testsecret0123456789';

/** enrollment, payments and email; Stripe calls are not retried unless asked (tests count them). */
export function commercePlugins(options: { maxNetworkRetries?: number } = {}): OsvPlugin[] {
  return [enrollment, createPaymentsPlugin({ stripe: { maxNetworkRetries: options.maxNetworkRetries ?? 0 } }), createEmailPlugin()];
}

/** The environment that points Stripe and SendGrid at the local stubs, as a deployment points them at stripe-mock or a mail sink. */
export function providerEnv(stubs: { stripe?: StripeStub; sendgrid?: SendgridStub }): Record<string, string> {
  return {
    ...(stubs.stripe ? { STRIPE_API_BASE: stubs.stripe.baseUrl } : {}),
    ...(stubs.sendgrid ? { SENDGRID_API_BASE: stubs.sendgrid.baseUrl } : {}),
  };
}

export async function enableCommerce(kernel: Kernel, tenantId: string): Promise<void> {
  for (const id of ['enrollment', 'payments', 'email']) await kernel.plugins.setEnabled(tenantId, id, true);
}

/** A site user signed in through the embed-token exchange: `Authorization` value and users.id. */
export async function member(kernel: Kernel, tenantId: string, subject: string, profile: { email?: string; name?: string } = {}) {
  const user = await kernel.users.upsert(tenantId, { issuer: 'site', subject, role: 'learner', email: profile.email ?? `${subject}@learners.test`, name: profile.name ?? subject });
  const { token } = await kernel.accessTokens.issue({ tenantId, userId: user.id, role: 'learner', scope: [] }, 900);
  return { auth: `Bearer ${token}`, userId: user.id };
}

type Http = ReturnType<typeof supertest>;

export async function configureStripe(http: Http, adminAuth: string, stub: StripeStub, webhookSecret = WEBHOOK_SECRET): Promise<void> {
  const response = await http
    .put('/api/v1/admin/plugins/payments/settings')
    .set('Authorization', adminAuth)
    .send({ stripeSecretKey: stub.secretKey, stripeWebhookSecret: webhookSecret });
  if (response.status !== 200) throw new Error(`payments settings: ${response.status} ${JSON.stringify(response.body)}`);
}

export async function createCourse(http: Http, auth: string, course: Record<string, unknown>): Promise<{ id: string; slug: string }> {
  const response = await http.post('/api/v1/plugins/enrollment/courses').set('Authorization', auth).send({ status: 'published', ...course });
  if (response.status !== 201) throw new Error(`course: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * Delivers a Stripe event to the tenant's webhook route, signed as Stripe signs it. `body` replaces
 * the bytes sent (the signature still covers `payload`); `timestamp` backdates the signature.
 */
export function deliverWebhook(
  http: Http,
  tenantSlug: string,
  event: object,
  options: { secret?: string; timestamp?: number; body?: string } = {},
) {
  const payload = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET, timestamp: options.timestamp });
  return http
    .post(`/api/v1/plugins/payments/webhooks/stripe?tenant=${tenantSlug}`)
    .set('Stripe-Signature', signature)
    .set('Content-Type', 'application/json; charset=utf-8')
    .send(options.body ?? payload);
}

/** The session id in a Stripe-hosted Checkout URL. */
export const sessionIdOf = (checkoutUrl: string) => checkoutUrl.split('/').pop()!;

/** The first-party plugin list with enrollment, payments and email as `commercePlugins` makes them. */
export function withCommercePlugins(plugins: OsvPlugin[]): OsvPlugin[] {
  const replacements = new Map(commercePlugins().map((plugin) => [plugin.manifest.id, plugin]));
  return plugins.map((plugin) => replacements.get(plugin.manifest.id) ?? plugin);
}

/**
 * Rows in every enrollment, payments and email table for the tenant: a course with a lesson, a
 * free enrollment with progress and an Idempotency-Key, a paid checkout completed through the
 * webhook and partly refunded, and the emails those caused (dev outbox: no SendGrid key).
 */
export async function seedCommerce(kernel: Kernel, http: Http, tenant: { tenantId: string; slug: string; admin: string; instructor: string }, stripe: StripeStub) {
  await enableCommerce(kernel, tenant.tenantId);
  await configureStripe(http, tenant.admin, stripe);
  const free = await createCourse(http, tenant.instructor, { slug: 'seed-free', title: `${tenant.slug} free course` });
  const paid = await createCourse(http, tenant.instructor, { slug: 'seed-paid', title: `${tenant.slug} paid course`, priceCents: 1200 });
  const module = await http.post(`/api/v1/plugins/enrollment/courses/${free.id}/modules`).set('Authorization', tenant.instructor).send({ title: 'Week 1' });
  const lesson = await http.post(`/api/v1/plugins/enrollment/modules/${module.body.id}/lessons`).set('Authorization', tenant.instructor).send({ title: 'Welcome' });
  const learner = await member(kernel, tenant.tenantId, `seed-${tenant.slug}`);
  await http.post(`/api/v1/plugins/enrollment/courses/${free.id}/enroll`).set('Authorization', learner.auth).set('Idempotency-Key', 'seed').expect(200);
  await http.post(`/api/v1/plugins/enrollment/lessons/${lesson.body.id}/complete`).set('Authorization', learner.auth).expect(200);
  const checkout = await http.post(`/api/v1/plugins/enrollment/courses/${paid.id}/enroll`).set('Authorization', learner.auth).expect(200);
  await deliverWebhook(http, tenant.slug, stripe.completeSession(sessionIdOf(checkout.body.checkoutUrl))).expect(200);
  const checkouts = await http.get('/api/v1/plugins/payments/checkouts').set('Authorization', tenant.admin);
  const completed = async () => (await http.get('/api/v1/plugins/payments/checkouts').set('Authorization', tenant.admin)).body[0]?.status === 'completed';
  for (let tries = 0; !(await completed()) && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  await http.post(`/api/v1/plugins/payments/checkouts/${checkouts.body[0].checkoutId}/refund`).set('Authorization', tenant.admin).send({ amountCents: 100 }).expect(202);
}
