import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourseDetail } from '../../../widgets/src/api-types.js';
import { type ComponentBench, json, startComponentBench } from './support/component-page.js';

let bench: ComponentBench;
beforeAll(async () => {
  bench = await startComponentBench();
});
afterAll(() => bench?.close());

const course: CourseDetail = {
  id: 'c1', slug: 'c1', title: 'C', summary: '', priceCents: 0, currency: 'usd', seatsLeft: null, enrollmentOpen: true, paid: false, modules: [],
};

describe('the command queue', () => {
  it('signs widgets in and out after they rendered, and reports bad commands', async () => {
    const tab = await bench.mount({
      widgets: [],
      head: '<script type="module" src="/widgets/v1/loader.js" data-key="pk_unit_test_key_000"></script>',
      body: '<osv-enroll course="c1"></osv-enroll>',
      api: (route) => json(route, course),
    });
    const errors: string[] = [];
    tab.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await tab.getByRole('button', { name: 'Sign in to enroll' }).waitFor();
    type Queue = { osv: { push(...commands: unknown[]): number } };
    await tab.evaluate(() => (window as unknown as Queue).osv.push(['identify', { token: 'x.y.z' }]));
    await tab.getByRole('button', { name: 'Enroll for free' }).waitFor();
    await tab.evaluate(() => (window as unknown as Queue).osv.push(['signOut'], ['nope'], 'not a command'));
    await tab.getByRole('button', { name: 'Sign in to enroll' }).waitFor();
    expect(errors).toEqual([expect.stringContaining('unknown command "nope"'), expect.stringContaining('a command is an array')]);
  });
});
