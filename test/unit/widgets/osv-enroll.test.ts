import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourseDetail, EnrollResult, MemberEnrollment } from '../../../widgets/src/api-types.js';
import { type ApiStub, type ComponentBench, json, startComponentBench } from './support/component-page.js';

let bench: ComponentBench;
beforeAll(async () => {
  bench = await startComponentBench();
});
afterAll(() => bench?.close());

const detail = (patch: Partial<CourseDetail> = {}): CourseDetail => ({
  id: 'c1', slug: 'c-one', title: 'C', summary: '', priceCents: 0, currency: 'usd', seatsLeft: null, enrollmentOpen: true, paid: false, modules: [], ...patch,
});

function enrollApi(course: CourseDetail, answers: Array<{ status: number; body: EnrollResult | object }>, keys: string[], standing: MemberEnrollment = { status: 'none' }): ApiStub {
  return (route, url) => {
    if (url.pathname.endsWith('/enrollment')) return json(route, standing);
    if (route.request().method() === 'GET') return json(route, course);
    expect(url.pathname).toBe(`/api/v1/plugins/enrollment/courses/${course.id}/enroll`);
    keys.push(route.request().headers()['idempotency-key']!);
    const answer = answers.shift()!;
    return json(route, answer.body, answer.status);
  };
}

const mount = (api: ApiStub, attributes = '', head = ''): Promise<Page> =>
  bench.mount({ widgets: ['osv-enroll'], body: `<osv-enroll course="c-one" key="pk_unit" token="a.b.c" ${attributes}></osv-enroll>`, api, head });

describe('<osv-enroll>', () => {
  it('retries a failed click with the same Idempotency-Key, then stays enrolled', async () => {
    const keys: string[] = [];
    const tab = await mount(
      enrollApi(detail(), [
        { status: 503, body: { error: { code: 'OSV_ERR_UNAVAILABLE', message: 'A dependency is unavailable' } } },
        { status: 200, body: { status: 'enrolled', enrollmentId: 'e1' } },
      ], keys),
    );
    await tab.getByRole('button', { name: 'Enroll for free' }).click();
    await tab.getByText('Something went wrong: A dependency is unavailable').waitFor();
    await tab.getByRole('button', { name: 'Enroll for free' }).click();
    await tab.getByText('You are enrolled.').waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(await tab.getByRole('button').isDisabled()).toBe(true);
  });

  it('refuses a checkout address that is not https, and lets the page redirect itself', async () => {
    const bad = await mount(enrollApi(detail({ paid: true, priceCents: 1000 }), [{ status: 200, body: { status: 'checkout', checkoutUrl: 'javascript:alert(1)', holdExpiresAt: '' } }], []));
    await bad.getByRole('button', { name: 'Buy for $10.00' }).click();
    await bad.getByText('checkout address refused').waitFor();
    expect(bad.url()).toContain('/page/');

    const head = `<script>document.addEventListener('osv-checkout', (e) => { e.preventDefault(); window.redirectTo = e.detail.checkoutUrl; });</script>`;
    const own = await mount(
      enrollApi(detail({ paid: true, priceCents: 1000 }), [{ status: 200, body: { status: 'checkout', checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_x', holdExpiresAt: '' } }], []),
      '',
      head,
    );
    await own.getByRole('button', { name: 'Buy for $10.00' }).click();
    await own.getByText('Taking you to secure checkout…').waitFor();
    expect(await own.evaluate(() => (window as unknown as { redirectTo: string }).redirectTo)).toBe('https://checkout.stripe.com/c/pay/cs_x');
    expect(own.url()).toContain('/page/');
  });

  it('shows a member who paid that they are enrolled, never a Buy button', async () => {
    const paid = detail({ paid: true, priceCents: 4900 });
    const tab = await mount(enrollApi(paid, [], [], { status: 'enrolled', enrollmentId: 'e1' }));
    await tab.getByText('You are enrolled.').waitFor();
    expect(await tab.getByRole('button').textContent()).toContain('Enrolled');
    expect(await tab.getByRole('button').isDisabled()).toBe(true);
    expect(await tab.getByRole('button', { name: /Buy/ }).count()).toBe(0);
  });

  it('takes a member whose seat is held back to payment', async () => {
    const paid = detail({ paid: true, priceCents: 4900, seatsLeft: 0 });
    const head = `<script>document.addEventListener('osv-checkout', (e) => { e.preventDefault(); window.redirectTo = e.detail.checkoutUrl; });</script>`;
    const answers = [{ status: 200, body: { status: 'checkout', checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_held', holdExpiresAt: '2030-01-01T12:00:00Z' } }];
    const tab = await mount(enrollApi(paid, answers, [], { status: 'pending-payment', holdExpiresAt: '2030-01-01T12:00:00Z' }), 'locale="es"', head);
    await tab.getByText(/Te guardamos una plaza hasta el .*2030.* Completa el pago para inscribirte\./).waitFor();
    await tab.getByRole('button', { name: 'Completar el pago' }).click();
    await tab.getByText('Te llevamos al pago seguro…').waitFor();
    expect(await tab.evaluate(() => (window as unknown as { redirectTo: string }).redirectTo)).toBe('https://checkout.stripe.com/c/pay/cs_held');
  });

  it('shows a waitlisted member their position and lets them leave', async () => {
    const full = detail({ seatsLeft: 0 });
    const cancels: string[] = [];
    const api: ApiStub = (route, url) => {
      if (url.pathname.endsWith('/enrollment')) return json(route, { status: 'waitlisted', enrollmentId: 'w7', position: 3 });
      if (url.pathname.endsWith('/cancel')) {
        cancels.push(url.pathname);
        return json(route, { enrollmentId: 'w7', status: 'cancelled' });
      }
      return json(route, full);
    };
    const tab = await mount(api);
    await tab.getByText('You are on the waitlist (position 3).').waitFor();
    await tab.getByRole('button', { name: 'Leave the waitlist' }).click();
    await tab.getByText('You left the waitlist.').waitFor();
    expect(cancels).toEqual(['/api/v1/plugins/enrollment/enrollments/w7/cancel']);
    await tab.getByRole('button', { name: 'Join the waitlist' }).waitFor();
  });

  it('follows its locale attribute', async () => {
    const tab = await mount(enrollApi(detail({ seatsLeft: 0 }), [], []), 'locale="es"');
    await tab.getByRole('button', { name: 'Unirme a la lista de espera' }).waitFor();
  });
});
