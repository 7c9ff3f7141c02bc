import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { member } from '../../../test/support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';
import tutorPlugin from '../plugin.js';
import { ask, configureTutor, enableTutor, settled, TUTOR, upload } from './tutor-support.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

let platform: TestPlatform;
let acme: Tenancy;

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: [tutorPlugin] });
  acme = await createTenant(platform.kernel, 'acme');
  await enableTutor(platform.kernel, acme.tenantId);
});
afterAll(() => platform?.close());

describe('asking the tutor about uploaded materials', () => {
  it('answers from a Markdown material with quoted passages that cite the material and its heading', async () => {
    const uploaded = await upload(platform.http, acme.instructor, 'stats-101', { name: 'averages.md', bytes: fixture('statistics.md'), title: 'Averages' });
    expect(uploaded.status).toBe(202);
    expect(uploaded.body).toMatchObject({ title: 'Averages', kind: 'markdown', live: false });
    const material = await settled(platform.http, acme.instructor, uploaded.body.id);
    expect(material).toMatchObject({ status: 'ready', stage: 'done', percent: 100, error: null, live: true });
    expect(material.summary).toContain('mean');

    const ada = await member(platform.kernel, acme.tenantId, 'ada');
    const answer = await ask(platform.http, ada.auth, { courseId: 'stats-101', question: 'What is the median?' });
    expect(answer.status).toBe(200);
    expect(answer.events.at(-1)).toBe('done');
    expect(answer.text).toMatch(/^Quoted from the course materials/);
    expect(answer.text).toContain('The median is the middle value once the numbers are sorted');
    expect(answer.text).toContain('[1]');
    expect(answer.citations[0]).toMatchObject({ index: 1, materialId: material.id, title: 'Averages', heading: 'Lecture 2: Averages › The median' });
    expect(answer.citations[0]!.snippet).toContain('The median is the middle value');
    expect(answer.done).toMatchObject({ answered: true, answerer: 'extractive', degraded: false, conversationId: expect.any(String), turnId: expect.any(String) });

    // The citation's link opens the material at the passage, without credentials.
    const link = new URL(answer.citations[0]!.url!);
    const page = await platform.http.get(`${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`id="${link.hash.slice(1)}"`);
    expect(page.text).toContain('The median is the middle value');
    const forged = await platform.http.get(`${link.pathname}?tenant=${acme.tenantId}&access=guessed`);
    expect(forged.status).toBe(404);
  });

  it('says the materials do not cover a question instead of inventing an answer, and lists it as unanswered', async () => {
    const ada = await member(platform.kernel, acme.tenantId, 'ada');
    const answer = await ask(platform.http, ada.auth, { courseId: 'stats-101', question: 'Who painted the Mona Lisa?' });
    expect(answer.text).toContain('The course materials do not cover this question');
    expect(answer.citations).toEqual([]);
    expect(answer.done).toMatchObject({ answered: false });
    const questions = await platform.http.get(`${TUTOR}/courses/stats-101/questions?unanswered=true`).set('Authorization', acme.instructor);
    expect(questions.status).toBe(200);
    expect(questions.body.questions.map((turn: { question: string }) => turn.question)).toContain('Who painted the Mona Lisa?');
    expect(questions.body.unanswered).toBeGreaterThanOrEqual(1);
    expect(questions.body.asked).toBeGreaterThan(questions.body.unanswered);
  });

  it('keeps a conversation per conversationId, readable by its learner only', async () => {
    const bea = await member(platform.kernel, acme.tenantId, 'bea');
    const first = await ask(platform.http, bea.auth, { courseId: 'stats-101', question: 'How is the variance defined?' });
    const second = await ask(platform.http, bea.auth, { courseId: 'stats-101', question: 'And the standard deviation?', conversationId: first.done!.conversationId });
    expect(second.done!.conversationId).toBe(first.done!.conversationId);
    expect(second.text).toContain('square root of the variance');
    const history = await platform.http.get(`${TUTOR}/conversations?courseId=stats-101`).set('Authorization', bea.auth);
    expect(history.body).toHaveLength(1);
    expect(history.body[0].turns.map((turn: { question: string }) => turn.question)).toEqual(['How is the variance defined?', 'And the standard deviation?']);
    const eve = await member(platform.kernel, acme.tenantId, 'eve');
    const stolen = await ask(platform.http, eve.auth, { courseId: 'stats-101', question: 'hi', conversationId: first.done!.conversationId });
    expect(stolen.status).toBe(404);
    expect((await platform.http.get(`${TUTOR}/conversations`).set('Authorization', eve.auth)).body).toEqual([]);
  });

  it('answers in Spanish when the learner reads Spanish', async () => {
    const ada = await member(platform.kernel, acme.tenantId, 'ada');
    const answer = await ask(platform.http, ada.auth, { courseId: 'stats-101', question: 'What is the mean?' }, { 'Accept-Language': 'es-ES,es;q=0.9' });
    expect(answer.text).toMatch(/^Citado de los materiales del curso/);
  });

  it('refuses bad questions with a clear 400, before any stream', async () => {
    const ada = await member(platform.kernel, acme.tenantId, 'ada');
    const empty = await ask(platform.http, ada.auth, { courseId: 'stats-101', question: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error!.code).toBe('OSV_ERR_VALIDATION');
    const noCourse = await ask(platform.http, ada.auth, { question: 'What is the mean?' });
    expect(noCourse.status).toBe(400);
    expect(noCourse.body.error!.message).toContain('courseId is required');
  });

  it('refuses questions once the tenant has spent its monthly budget (429)', async () => {
    const tight = await createTenant(platform.kernel, 'tight');
    await enableTutor(platform.kernel, tight.tenantId);
    await configureTutor(platform.http, tight.admin, { questionsPerMonth: 2 });
    const ada = await member(platform.kernel, tight.tenantId, 'ada');
    expect((await ask(platform.http, ada.auth, { courseId: 'c', question: 'one?' })).status).toBe(200);
    expect((await ask(platform.http, ada.auth, { courseId: 'c', question: 'two?' })).status).toBe(200);
    const refused = await ask(platform.http, ada.auth, { courseId: 'c', question: 'three?' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'OSV_ERR_TUTOR_BUDGET_SPENT' });
    expect(refused.body.error!.message).toContain('2 questions for this month');
  });
});
