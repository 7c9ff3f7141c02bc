import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../../support/browser.js';
import { fakeEnrollmentPlugin } from './support/fake-enrollment-plugin.js';
import { startWidgetSite, type WidgetSite } from './support/widget-site.js';

let w: WidgetSite;
const enrollment = fakeEnrollmentPlugin();

beforeAll(async () => {
  w = await startWidgetSite([enrollment.plugin]);
});
afterAll(() => w?.close());
afterEach(() => expect(w.pageErrors).toEqual([]));

/** Records every `osv-*` event the page hears through the command queue. */
const listenAll = `<script>
  window.heard = [];
  window.osv = window.osv || [];
  for (const name of ['enrolled', 'waitlisted', 'checkout', 'sign-in-required']) osv.push(['on', name, (detail) => heard.push([name, detail])]);
</script>`;
const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: unknown[] }).heard);
const enrollRequests = () => enrollment.requests.filter((request) => request.path.endsWith('/enroll'));

describe('<osv-enroll>', () => {
  it('enrolls a signed-in member for free, from the catalog, by keyboard', async () => {
    const token = await w.memberToken('ada');
    const page = await w.newPage();
    await page.goto(w.hostPage('/enroll-keyboard', '<osv-catalog></osv-catalog>', { token, head: listenAll }));
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Introduction to Statistics' }).waitFor();
    await page.keyboard.press('Tab');
    const button = page.getByRole('button', { name: 'Enroll for free' });
    expect(await button.evaluate((element) => element.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText('You are enrolled.').waitFor();
    expect(await heard(page)).toEqual([['enrolled', { courseId: 'intro-statistics', enrollmentId: 'e-1' }]]);
    const [request] = enrollRequests();
    expect(request).toMatchObject({ path: '/courses/intro-statistics/enroll', principal: 'member' });
    expect(request!.idempotencyKey).toMatch(/^[0-9a-f]{32}$/);
    await saveScreenshot(page, 'enroll-enrolled');
  });

  it('sends a paid course to Stripe-hosted Checkout', async () => {
    const token = await w.memberToken('grace');
    const page = await w.newPage();
    await page.route('https://checkout.stripe.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<h1>Stripe Checkout (test)</h1>' }));
    await page.goto(w.hostPage('/enroll-paid', '<osv-enroll course="data-science-python"></osv-enroll>', { token, head: listenAll }));
    await page.getByRole('button', { name: 'Buy for $49.00' }).click();
    await page.waitForURL('https://checkout.stripe.com/c/pay/cs_test_data-science-python');
    expect(await page.getByRole('heading').textContent()).toBe('Stripe Checkout (test)');
  });

  it('puts the member on the waitlist of a full course', async () => {
    const token = await w.memberToken('alan');
    const page = await w.newPage();
    await page.goto(w.hostPage('/enroll-full', '<osv-enroll course="advanced-statistics"></osv-enroll>', { token, head: listenAll }));
    await page.getByRole('button', { name: 'Join the waitlist' }).click();
    await page.getByText('You are on the waitlist (position 3).').waitFor();
    expect((await heard(page))[0]).toEqual(['waitlisted', { courseId: 'advanced-statistics', enrollmentId: expect.any(String), position: 3 }]);
  });

  it('asks an anonymous visitor to sign in instead of calling the API', async () => {
    const before = enrollRequests().length;
    const page = await w.newPage();
    await page.goto(w.hostPage('/enroll-anonymous', '<osv-enroll course="intro-statistics"></osv-enroll>', { head: listenAll }));
    await page.getByRole('button', { name: 'Sign in to enroll' }).click();
    await page.getByText('Sign in on this site to enroll.').waitFor();
    expect(await heard(page)).toEqual([['sign-in-required', { courseId: 'intro-statistics' }]]);
    expect(enrollRequests().length).toBe(before);
  });

  it('shows closed courses as closed, and prices in the page’s language', async () => {
    const token = await w.memberToken('rosalind');
    const page = await w.newPage();
    const body = '<osv-enroll course="art-history"></osv-enroll> <osv-enroll course="data-science-python"></osv-enroll>';
    await page.goto(w.hostPage('/enroll-es', body, { token, lang: 'es' }));
    expect(await page.getByRole('button', { name: 'Inscripción cerrada' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: /Comprar por 49,00\s(US\$|USD)/ }).waitFor();
  });
});
