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

/** id of the element focused inside the shadow root of the focused widget. */
const focusedInWidget = (page: Page) => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id ?? null);

describe('<osv-catalog> on another origin', () => {
  it('renders the courses of the key’s tenant and pages through them', async () => {
    const page = await w.newPage();
    await page.goto(w.hostPage('/catalog', '<osv-catalog limit="5"></osv-catalog>'));
    const options = page.getByRole('option');
    await expect.poll(() => options.count()).toBe(5);
    expect(await options.first().textContent()).toMatch(/Introduction to Statistics[\s\S]*Free · 12 seats left/);
    expect(await options.nth(1).textContent()).toContain('$49.00');
    expect(await page.getByRole('status').first().textContent()).toBe('5 courses');
    await saveScreenshot(page, 'catalog');
    await page.getByRole('button', { name: 'Show more courses' }).click();
    await expect.poll(() => options.count()).toBe(7);
    expect(enrollment.requests.every((request) => request.principal === 'publishable')).toBe(true);
  });

  it('searches once the visitor pauses typing', async () => {
    const page = await w.newPage();
    await page.goto(w.hostPage('/search', '<osv-catalog></osv-catalog>'));
    await page.getByRole('option').first().waitFor();
    enrollment.requests.length = 0;
    await page.getByRole('combobox', { name: 'Search courses' }).pressSequentially('statis', { delay: 40 });
    await expect.poll(() => page.getByRole('option').count()).toBe(2);
    // Six keystrokes 40 ms apart, one search (a stalled test machine might split the burst once).
    const searched = enrollment.requests.map((request) => request.q);
    expect(searched.at(-1)).toBe('statis');
    expect(searched.length).toBeLessThanOrEqual(2);
    await page.getByRole('combobox').fill('quantum chromodynamics');
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('No courses match “quantum chromodynamics”.');
  });

  it('works by keyboard alone: arrows move, Enter opens, Escape goes back', async () => {
    const page = await w.newPage();
    await page.goto(w.hostPage('/keyboard', '<osv-catalog></osv-catalog>'));
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('search');
    const search = page.getByRole('combobox');
    expect(await search.evaluate((input) => getComputedStyle(input).outlineStyle)).toBe('solid');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await search.getAttribute('aria-activedescendant')).toBe('course-1');
    expect(await page.getByRole('option', { selected: true }).textContent()).toContain('Data Science with Python');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Data Science with Python' }).waitFor();
    expect(await focusedInWidget(page)).toBe('detail-title');
    await page.getByText('Going further').waitFor();
    await page.keyboard.press('Escape');
    await search.waitFor();
    expect(await focusedInWidget(page)).toBe('search');
  });

  it('takes the site’s theme through custom properties and ::part', async () => {
    const page = await w.newPage();
    const head = `<style>
      osv-catalog { --osv-accent: rgb(11, 122, 83); --osv-highlight: rgb(230, 244, 238); --osv-radius: 2px; --osv-font: Georgia, serif }
      osv-catalog::part(option-active) { outline: 2px dashed rgb(200, 0, 0) }
    </style>`;
    await page.goto(w.hostPage('/themed', '<osv-catalog limit="4"></osv-catalog>', { head }));
    await page.getByRole('option').first().waitFor();
    await page.getByRole('combobox').focus();
    await page.keyboard.press('ArrowDown');
    const active = page.getByRole('option', { selected: true });
    const style = await active.evaluate((option) => {
      const computed = getComputedStyle(option);
      return { background: computed.backgroundColor, shadow: computed.boxShadow, outline: computed.outline, font: computed.fontFamily };
    });
    expect(style).toEqual({ background: 'rgb(230, 244, 238)', shadow: 'rgb(11, 122, 83) 4px 0px 0px 0px inset', outline: 'rgb(200, 0, 0) dashed 2px', font: 'Georgia, serif' });
    await saveScreenshot(page, 'catalog-themed');
  });

  it('speaks Spanish on a Spanish page', async () => {
    const page = await w.newPage();
    await page.goto(w.hostPage('/es', '<osv-catalog limit="3"></osv-catalog>', { lang: 'es' }));
    await page.getByRole('option').first().waitFor();
    expect(await page.getByRole('status').first().textContent()).toBe('3 cursos');
    expect(await page.getByRole('option').first().textContent()).toContain('Gratis · Quedan 12 plazas');
    expect(await page.getByRole('combobox', { name: 'Buscar cursos' }).getAttribute('placeholder')).toBe('Buscar cursos…');
  });
});
