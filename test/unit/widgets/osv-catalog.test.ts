import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogCourse, CatalogPage } from '../../../widgets/src/api-types.js';
import { type ComponentBench, json, startComponentBench } from './support/component-page.js';

let bench: ComponentBench;
beforeAll(async () => {
  bench = await startComponentBench();
});
afterAll(() => bench?.close());

const course = (id: string): CatalogCourse => ({
  id, slug: id, title: `Course ${id}`, summary: '', priceCents: 0, currency: 'usd', seatsLeft: null, enrollmentOpen: true, paid: false,
});
const page = (ids: string[]): CatalogPage => ({ items: ids.map(course), nextCursor: null });
const body = '<osv-catalog key="pk_unit_test_key_000"></osv-catalog>';

describe('<osv-catalog>', () => {
  it('shows only the latest answer when an older search answers late', async () => {
    const queries: string[] = [];
    const tab = await bench.mount({
      widgets: ['osv-catalog'],
      body,
      api: async (route, url) => {
        const q = url.searchParams.get('q') ?? '';
        queries.push(q);
        expect(url.searchParams.get('key')).toBe('pk_unit_test_key_000');
        // The first search answers late: its answer must not replace a newer one.
        if (q === 'slow') await new Promise((resolve) => setTimeout(resolve, 600));
        await json(route, page(q === '' ? ['a', 'b', 'c'] : [q]));
      },
    });
    await tab.getByRole('option').first().waitFor();
    await tab.getByRole('combobox').fill('slow');
    await expect.poll(() => queries.includes('slow')).toBe(true);
    await tab.getByRole('combobox').fill('fast');
    await tab.getByRole('option', { name: 'Course fast' }).waitFor();
    // Long enough for the late answer to 'slow' to have arrived, had it not been cancelled.
    await tab.waitForTimeout(700);
    expect(queries).toEqual(['', 'slow', 'fast']);
    expect(await tab.getByRole('option').allTextContents()).toEqual([expect.stringContaining('Course fast')]);
  });

  it('keeps the active option within the list and lets the page take over a selection', async () => {
    const tab = await bench.mount({
      widgets: ['osv-catalog'],
      body,
      head: `<script>document.addEventListener('osv-course-select', (e) => { e.preventDefault(); window.picked = e.detail.id; });</script>`,
      api: (route) => json(route, page(['a', 'b', 'c'])),
    });
    await tab.getByRole('option').first().waitFor();
    const search = tab.getByRole('combobox');
    await search.focus();
    await tab.keyboard.press('ArrowUp');
    expect(await search.getAttribute('aria-activedescendant')).toBe('course-0');
    await tab.keyboard.press('PageDown');
    await tab.keyboard.press('ArrowDown');
    expect(await search.getAttribute('aria-activedescendant')).toBe('course-2');
    await tab.keyboard.press('Enter');
    expect(await tab.evaluate(() => (window as unknown as { picked: string }).picked)).toBe('c');
    expect(await tab.getByRole('listbox').isVisible()).toBe(true);
  });

  it('says what went wrong and retries', async () => {
    let calls = 0;
    const tab = await bench.mount({
      widgets: ['osv-catalog'],
      body,
      api: (route) => (++calls === 1 ? json(route, { error: { code: 'OSV_ERR_INTERNAL', message: 'An internal error occurred' } }, 500) : json(route, page(['a']))),
    });
    await tab.getByText('Something went wrong: An internal error occurred').waitFor();
    await tab.getByRole('button', { name: 'Try again' }).click();
    await tab.getByRole('option', { name: 'Course a' }).waitFor();
  });
});
