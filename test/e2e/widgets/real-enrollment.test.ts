import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commercePlugins, configureStripe, createCourse, deliverWebhook, providerEnv, sessionIdOf } from '../../support/commerce.js';
import { eventually } from '../../support/harness.js';
import { type StripeStub, startStripeStub } from '../../support/stripe-stub.js';
import { startWidgetSite, type WidgetSite } from './support/widget-site.js';

/** The widgets against the real `enrollment` plugin (with `payments` on a local Stripe stub). */
let w: WidgetSite;
let stripe: StripeStub;

beforeAll(async () => {
  stripe = await startStripeStub();
  w = await startWidgetSite(commercePlugins(), providerEnv({ stripe }));
  await configureStripe(w.platform.http, w.tenant.admin, stripe);
  const { http } = w.platform;
  await createCourse(http, w.tenant.instructor, { slug: 'intro-statistics', title: 'Introduction to Statistics', summary: 'Averages, spread and the normal curve.' });
  await createCourse(http, w.tenant.instructor, { slug: 'data-science', title: 'Data Science with Python', summary: 'pandas and plots; statistics in practice.', priceCents: 4900 });
  await createCourse(http, w.tenant.instructor, { slug: 'art-history', title: 'Art History', summary: 'Painting.' });
});
afterAll(async () => {
  await w?.close();
  await stripe?.close();
});
afterEach(() => expect(w.pageErrors).toEqual([]));

describe('widgets on the real enrollment plugin', () => {
  it('search the catalog and enroll a member for free, by keyboard', async () => {
    const token = await w.memberToken('ada');
    const page = await w.newPage();
    await page.goto(w.hostPage('/real-catalog', '<osv-catalog></osv-catalog>', { token }));
    await page.getByRole('option').first().waitFor();
    await page.getByRole('combobox', { name: 'Search courses' }).pressSequentially('statist', { delay: 30 });
    await expect.poll(() => page.getByRole('option').count()).toBe(2);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Introduction to Statistics' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('You are enrolled.').waitFor();
    const mine = await w.platform.http.get('/api/v1/plugins/enrollment/me/enrollments').set('Authorization', `Bearer ${token}`);
    expect(mine.body).toEqual(expect.arrayContaining([expect.objectContaining({ status: 'enrolled' })]));
  });

  it('send a paid course to Stripe-hosted Checkout, returning to the page that embeds the widget', async () => {
    const token = await w.memberToken('grace');
    const page = await w.newPage();
    await page.route('https://checkout.stripe.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<h1>Stripe Checkout (stub)</h1>' }));
    const url = w.hostPage('/real-paid', '<osv-enroll course="data-science"></osv-enroll>', { token, lang: 'es' });
    await page.goto(url);
    await page.getByRole('button', { name: /Comprar por 49,00/ }).click();
    await page.waitForURL(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const session = stripe.requests.find((request) => request.path === '/v1/checkout/sessions' && request.method === 'POST')!;
    expect(session.params.success_url).toBe(`${url}?osv_checkout=success`);
    expect(session.params.cancel_url).toBe(`${url}?osv_checkout=cancelled`);
    expect(session.params.locale).toBe('es');
  });

  it('show a member who already paid that they are enrolled, with no Buy button', async () => {
    const token = await w.memberToken('hopper');
    const started = await w.platform.http.post('/api/v1/plugins/enrollment/courses/data-science/enroll').set('Authorization', `Bearer ${token}`).expect(200);
    await deliverWebhook(w.platform.http, 'acme', stripe.completeSession(sessionIdOf(started.body.checkoutUrl))).expect(200);
    await eventually(async () => {
      const standing = await w.platform.http.get('/api/v1/plugins/enrollment/courses/data-science/enrollment').set('Authorization', `Bearer ${token}`);
      return standing.body.status === 'enrolled';
    });
    const page = await w.newPage();
    await page.goto(w.hostPage('/real-paid-already', '<osv-enroll course="data-science"></osv-enroll>', { token }));
    await page.getByText('You are enrolled.').waitFor();
    await expect.poll(() => page.getByRole('button').textContent()).toContain('Enrolled');
    expect(await page.getByRole('button').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /Buy for/ }).count()).toBe(0);
  });
});
