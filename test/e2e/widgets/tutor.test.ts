import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../../support/browser.js';
import { fakeTutorPlugin } from './support/fake-tutor-plugin.js';
import { startWidgetSite, type WidgetSite } from './support/widget-site.js';

let w: WidgetSite;
const tutor = fakeTutorPlugin();

beforeAll(async () => {
  w = await startWidgetSite([tutor.plugin]);
});
afterAll(() => w?.close());
afterEach(() => expect(w.pageErrors).toEqual([]));

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** axe-core's colour-contrast rule over the page, shadow roots included. */
async function contrastViolations(page: Page): Promise<Array<{ html: string; summary: string }>> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(options: object): Promise<{ violations: Array<{ nodes: Array<{ html: string; failureSummary: string }> }> }> } };
    const result = await axe.run({ runOnly: { type: 'rule', values: ['color-contrast'] } });
    return result.violations.flatMap((violation) => violation.nodes.map((node) => ({ html: node.html, summary: node.failureSummary })));
  });
}

const cancelCitations = `<script>
  window.cited = [];
  document.addEventListener('osv-citation', (event) => { event.preventDefault(); cited.push(event.detail.title); });
</script>`;

describe('<osv-tutor>', () => {
  it('shows the answer while it streams, then its sources; keeps the conversation going', async () => {
    const token = await w.memberToken('ada');
    const page = await w.newPage();
    await page.goto(w.hostPage('/tutor', '<osv-tutor course="intro-statistics"></osv-tutor>', { token }));
    tutor.hold();
    await page.getByRole('textbox', { name: 'Ask a question about this course' }).fill('What is the mean?');
    await page.keyboard.press('Enter');
    const answer = page.locator('osv-tutor .message.tutor').last();
    await answer.getByText('divided by the count').waitFor();
    expect(await answer.getAttribute('aria-busy')).toBe('true');
    expect(await answer.textContent()).not.toContain('median');
    expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
    await saveScreenshot(page, 'tutor-streaming');
    tutor.release();
    await answer.getByRole('list', { name: 'Sources' }).waitFor();
    expect(await answer.getAttribute('aria-busy')).toBe('false');
    expect(await answer.textContent()).toContain('the median is the middle value');
    expect(await answer.getByRole('link', { name: 'Lecture 2: Averages, p. 4' }).getAttribute('href')).toBe('https://materials.example.edu/lecture-2.pdf#page=4');
    expect(tutor.asked[0]).toEqual({ courseId: 'intro-statistics', question: 'What is the mean?' });
    await saveScreenshot(page, 'tutor-answered');

    tutor.hold();
    tutor.release();
    await page.getByRole('textbox').fill('And the mode?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('osv-tutor .message.tutor').nth(1).getByRole('list', { name: 'Sources' }).waitFor();
    expect(tutor.asked[1]).toEqual({ courseId: 'intro-statistics', question: 'And the mode?', conversationId: 'conv-1' });
  });

  it('labels each message with text of at least 4.5:1 contrast', async () => {
    const page = await w.newPage();
    await page.goto(w.hostPage('/tutor-contrast', '<osv-tutor course="intro-statistics"></osv-tutor>'));
    tutor.hold();
    tutor.release();
    await page.getByRole('textbox').fill('What is the mean?');
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'Sources' }).waitFor();
    await page.locator('osv-tutor .message.user .who').waitFor();
    expect(await contrastViolations(page)).toEqual([]);
  });

  it('makes citations clickable: markers lead to sources, sources tell the page', async () => {
    const page = await w.newPage();
    await page.goto(w.hostPage('/tutor-citations', '<osv-tutor course="intro-statistics"></osv-tutor>', { head: cancelCitations }));
    tutor.hold();
    tutor.release();
    await page.getByRole('textbox').fill('What is the median?');
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'Sources' }).waitFor();
    await page.getByRole('button', { name: 'Source 1: Lecture 2: Averages' }).click();
    const source = page.getByRole('link', { name: 'Lecture 2: Averages, p. 4' });
    expect(await source.evaluate((link) => link.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Reading: the median', exact: true }).click();
    expect(await page.evaluate(() => (window as unknown as { cited: string[] }).cited)).toEqual(['Lecture 2: Averages', 'Reading: the median']);
  });

  it('can be stopped with Escape, shows tutor errors, and does not animate under reduced motion', async () => {
    const page = await w.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(w.hostPage('/tutor-stop', '<osv-tutor course="intro-statistics"></osv-tutor>'));
    tutor.hold();
    const input = page.getByRole('textbox');
    await input.fill('slow question');
    await input.press('Enter');
    const thinking = page.locator('osv-tutor .thinking');
    await thinking.waitFor();
    expect(await thinking.evaluate((element) => getComputedStyle(element, '::after').animationName)).toBe('none');
    await input.press('Escape');
    await page.getByText('Stopped.').waitFor();
    tutor.release();
    await input.fill('please fail');
    await input.press('Enter');
    expect(await page.getByRole('alert').textContent()).toBe('Something went wrong: The tutor is resting');
  });
});
