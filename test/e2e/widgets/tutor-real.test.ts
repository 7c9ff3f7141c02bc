import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../../support/browser.js';
import tutorPlugin from '../../../plugins/ai-tutor/plugin.js';
import { configureTutor, settled, upload } from '../../../plugins/ai-tutor/test/tutor-support.js';
import { startWidgetSite, type WidgetSite } from './support/widget-site.js';

/** `<osv-tutor>` answering from materials uploaded to the real `ai-tutor` plugin. */
let w: WidgetSite;

beforeAll(async () => {
  w = await startWidgetSite([tutorPlugin]);
  const statistics = readFileSync(new URL('../../../plugins/ai-tutor/test/fixtures/statistics.md', import.meta.url));
  const material = await upload(w.platform.http, w.tenant.instructor, 'stats-101', { name: 'statistics.md', bytes: statistics, title: 'Averages' });
  await settled(w.platform.http, w.tenant.instructor, material.body.id);
});
afterAll(() => w?.close());
afterEach(() => expect(w.pageErrors).toEqual([]));

describe('<osv-tutor> on the real tutor plugin', () => {
  it('answers a member from the course materials, with sources that open the material at the passage', async () => {
    const token = await w.memberToken('ada');
    const page = await w.newPage();
    await page.goto(w.hostPage('/real-tutor', '<osv-tutor course="stats-101"></osv-tutor>', { token }));
    await page.getByRole('textbox', { name: 'Ask a question about this course' }).fill('What is the median?');
    await page.keyboard.press('Enter');
    const answer = page.locator('osv-tutor .message.tutor').last();
    await answer.getByRole('list', { name: 'Sources' }).waitFor();
    expect(await answer.textContent()).toContain('Quoted from the course materials');
    expect(await answer.textContent()).toContain('The median is the middle value once the numbers are sorted');
    const source = answer.getByRole('link', { name: 'Averages › Lecture 2: Averages › The median' });
    const href = (await source.getAttribute('href'))!;
    await saveScreenshot(page, 'tutor-real-answer');
    // Links are absolute on PUBLIC_URL; here the test server listens elsewhere.
    const link = new URL(href);
    expect(link.pathname).toMatch(/^\/api\/v1\/plugins\/ai-tutor\/materials\/[0-9a-f-]+\/view$/);
    const reading = await w.newPage();
    await reading.goto(`${w.osv.origin}${link.pathname}${link.search}${link.hash}`);
    expect(await reading.locator(link.hash).textContent()).toContain('The median is the middle value');
    await saveScreenshot(reading, 'tutor-real-reading-page');
  });

  it('asks anonymous visitors to sign in unless the tenant takes anonymous questions', async () => {
    const page = await w.newPage();
    await page.goto(w.hostPage('/anonymous-tutor', '<osv-tutor course="stats-101"></osv-tutor>'));
    await page.getByRole('textbox').fill('What is the mean?');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('alert').textContent()).toContain('Sign in to ask the tutor');

    await configureTutor(w.platform.http, w.tenant.admin, { allowAnonymousQuestions: true });
    await page.getByRole('textbox').fill('What is the mean?');
    await page.keyboard.press('Enter');
    await page.locator('osv-tutor .message.tutor').last().getByRole('list', { name: 'Sources' }).waitFor();
    expect(await page.locator('osv-tutor .message.tutor').last().textContent()).toContain('divided by the count of numbers');
  });

  it('shows instructors the course materials with their progress, and takes uploads', async () => {
    const user = await w.platform.kernel.users.upsert(w.tenant.tenantId, { issuer: 'site', subject: 'grace', role: 'instructor', email: 'grace@acme.test', name: 'Grace' });
    const { token } = await w.platform.kernel.accessTokens.issue({ tenantId: w.tenant.tenantId, userId: user.id, role: 'instructor', scope: [] }, 900);
    const page = await w.newPage();
    await page.goto(w.hostPage('/tutor-materials', '<osv-tutor course="stats-101"></osv-tutor>', { token }));
    await page.getByText('Course materials (instructors)').click();
    await page.getByText('Averages — ready').waitFor();
    await page.getByLabel('Upload a material').setInputFiles({ name: 'spread.md', mimeType: 'text/markdown', buffer: Buffer.from('# Spread\n\nThe range is the largest value minus the smallest value.') });
    await page.getByText('spread — ready').waitFor({ timeout: 20_000 });
    await page.getByRole('textbox', { name: 'Ask a question about this course' }).fill('How is the range computed?');
    await page.keyboard.press('Enter');
    await page.locator('osv-tutor .message.tutor').last().getByRole('list', { name: 'Sources' }).waitFor();
    expect(await page.locator('osv-tutor .message.tutor').last().textContent()).toContain('largest value minus the smallest value');

    const learnerPage = await w.newPage();
    await learnerPage.goto(w.hostPage('/tutor-learner', '<osv-tutor course="stats-101"></osv-tutor>', { token: await w.memberToken('ada') }));
    await learnerPage.getByRole('textbox').waitFor();
    expect(await learnerPage.getByText('Course materials (instructors)').count()).toBe(0);
  });
});
