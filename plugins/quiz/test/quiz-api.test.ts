import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../../core/db/database.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const api = '/api/v1/plugins/quiz';

let platform: TestPlatform;
let acme: Tenancy;
let globex: Tenancy;

async function memberToken(tenant: Tenancy, subject: string, role: 'learner' | 'instructor' = 'learner'): Promise<string> {
  const user = await platform.kernel.users.upsert(tenant.tenantId, { issuer: 'site', subject, role });
  const { token } = await platform.kernel.accessTokens.issue({ tenantId: tenant.tenantId, userId: user.id, role, scope: [] });
  return `Bearer ${token}`;
}

async function importFixture(tenant: Tenancy, course: string, format: 'moodle-xml' | 'gift', file: string) {
  const response = await platform.http.post(`${api}/courses/${course}/questions/import`).set('Authorization', tenant.instructor).send({ format, content: fixture(file) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { imported: number; questions: Array<{ id: string; name: string; type: string }> };
}

const idOf = (questions: Array<{ id: string; name: string }>, prefix: string) => questions.find((question) => question.name.startsWith(prefix))!.id;

beforeAll(async () => {
  platform = await startTestPlatform();
  acme = await createTenant(platform.kernel, 'acme');
  globex = await createTenant(platform.kernel, 'globex');
  for (const tenant of [acme, globex]) await platform.kernel.plugins.setEnabled(tenant.tenantId, 'quiz', true);
});
afterAll(() => platform?.close());

describe('quiz plugin API', () => {
  it('imports a Moodle XML bank, exports it as Moodle XML and GIFT, and imports those again', async () => {
    const { http } = platform;
    const imported = await importFixture(acme, 'spanish-101', 'moodle-xml', 'fixtures.moodle.xml');
    expect(imported.imported).toBe(13);
    const bank = (await http.get(`${api}/courses/spanish-101/questions`).set('Authorization', acme.instructor)).body;
    expect(bank).toHaveLength(13);
    expect(bank.find((question: { name: string }) => question.name === 'SA: emoji fruit 🍎').answers[1].text).toBe('manzana');

    const xml = await http.get(`${api}/courses/spanish-101/questions/export?format=moodle-xml`).set('Authorization', acme.instructor);
    expect(xml.body.content).toContain('<question type="numerical">');
    const again = await http.post(`${api}/courses/copy/questions/import`).set('Authorization', acme.instructor).send({ format: 'moodle-xml', content: xml.body.content });
    expect(again.body.imported).toBe(13);
    const gift = await http.get(`${api}/courses/spanish-101/questions/export?format=gift`).set('Authorization', acme.instructor);
    const fromGift = await http.post(`${api}/courses/gift-copy/questions/import`).set('Authorization', acme.instructor).send({ format: 'gift', content: gift.body.content });
    expect(fromGift.body.imported).toBe(12);
  });

  it('refuses a broken import with a 400 that says why, and stores none of it', async () => {
    const { http } = platform;
    const broken = fixture('fixtures.moodle.xml').replace('<answer fraction="100" format="moodle_auto_format">\n      <text>0.333</text>', '<answer fraction="100" format="moodle_auto_format">\n      <text>0.333</text></answer>');
    const response = await http.post(`${api}/courses/broken/questions/import`).set('Authorization', acme.instructor).send({ format: 'moodle-xml', content: broken });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('OSV_ERR_VALIDATION');
    expect(response.body.error.message).toMatch(/not well-formed XML \(line \d+/);
    const half = fixture('fixtures.moodle.xml').replace('<question type="truefalse">', '<question type="calculated">');
    const refused = await http.post(`${api}/courses/broken/questions/import`).set('Authorization', acme.instructor).send({ format: 'moodle-xml', content: half });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('"calculated", which osv does not import');
    expect((await http.get(`${api}/courses/broken/questions`).set('Authorization', acme.instructor)).body).toEqual([]);
    const badFormat = await http.post(`${api}/courses/broken/questions/import`).set('Authorization', acme.instructor).send({ format: 'docx', content: 'x' });
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.details[0].field).toContain('format');
  });

  it('creates, replaces and deletes a question, validating it', async () => {
    const { http } = platform;
    const created = await http
      .post(`${api}/courses/crud/questions`)
      .set('Authorization', acme.instructor)
      .send({ type: 'truefalse', name: 'Sky', text: 'The sky is blue', correct: true });
    expect(created.status).toBe(201);
    const replaced = await http.put(`${api}/courses/crud/questions/${created.body.id}`).set('Authorization', acme.instructor).send({ ...created.body, id: undefined, courseId: undefined, correct: false });
    expect(replaced.body.correct).toBe(false);
    const invalid = await http.post(`${api}/courses/crud/questions`).set('Authorization', acme.instructor).send({ type: 'multichoice', name: 'x', text: 'x', single: true, answers: [{ text: 'a', fraction: 2 }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('OSV_ERR_VALIDATION');
    expect(JSON.stringify(invalid.body.error.details)).toContain('answers');
    await http.delete(`${api}/courses/crud/questions/${created.body.id}`).set('Authorization', acme.instructor).expect(204);
    expect((await http.delete(`${api}/courses/crud/questions/${created.body.id}`).set('Authorization', acme.instructor)).status).toBe(404);
  });

  it('lets a learner take a graded quiz: no answers shown, time per question, a score on submit, attempts limited', async () => {
    const { http } = platform;
    const { questions } = await importFixture(acme, 'physics', 'moodle-xml', 'fixtures.moodle.xml');
    const quizQuestions = ['MC multiple', 'NUM: gravity', 'SA: gracias', 'MATCH', 'DESC'].map((name) => idOf(questions, name));
    const quiz = await http.post(`${api}/courses/physics/quizzes`).set('Authorization', acme.instructor).send({ title: 'Week 1', attemptsAllowed: 1, questionIds: quizQuestions });
    expect(quiz.status).toBe(201);

    const ada = await memberToken(acme, 'ada');
    const started = await http.post(`${api}/quizzes/${quiz.body.id}/attempts`).set('Authorization', ada);
    expect(started.status).toBe(201);
    expect(started.body.maxScore).toBe(9); // 3 + 2 + 1 + 3 (+ 0 for the description)
    expect(started.body.questions.map((question: { id: string }) => question.id)).toEqual(quizQuestions);
    const shown = JSON.stringify(started.body.questions);
    expect(shown).not.toContain('fraction');
    expect(shown).not.toContain('Inténtalo otra vez');
    expect(shown).not.toContain('tolerance');
    const resumed = await http.post(`${api}/quizzes/${quiz.body.id}/attempts`).set('Authorization', ada);
    expect(resumed.body.attemptId).toBe(started.body.attemptId);

    const attempt = started.body.attemptId;
    const answer = (questionId: string, response: unknown) => http.put(`${api}/attempts/${attempt}/responses/${questionId}`).set('Authorization', ada).send({ response });
    expect((await answer(quizQuestions[0]!, { choices: [0, 1, 3] })).status).toBe(200); // ⅓ + ⅓ − ½ → 1/6 of 3 marks
    expect((await answer(quizQuestions[1]!, { text: '981 cm/s²' })).body).toMatchObject({ secondsSpent: expect.any(Number) }); // 2 marks
    await answer(quizQuestions[2]!, { text: 'Muchas Gracias' }); // 1 mark
    await answer(quizQuestions[3]!, { matches: ['Lima', 'Atenas', 'Atenas'] }); // ⅔ of 3 marks
    const wrongShape = await answer(quizQuestions[3]!, { text: 'Lima' });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.error.message).toContain('response.matches');
    const notInQuiz = await answer(idOf(questions, 'TF: Greek'), { value: true });
    expect(notInQuiz.status).toBe(404);

    const submitted = await http.post(`${api}/attempts/${attempt}/submit`).set('Authorization', ada);
    expect(submitted.status).toBe(200);
    expect(submitted.body.score).toBeCloseTo(0.5 + 2 + 1 + 2, 5);
    expect(submitted.body).toMatchObject({ maxScore: 9, needsGrading: false });
    expect(submitted.body.questions[2]).toMatchObject({ fraction: 1, feedback: ['¡Excelente!'] });

    const late = await answer(quizQuestions[0]!, { choices: [0] });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('OSV_ERR_QUIZ_ATTEMPT_CLOSED');
    expect((await http.post(`${api}/attempts/${attempt}/submit`).set('Authorization', ada)).body.error.code).toBe('OSV_ERR_QUIZ_ATTEMPT_CLOSED');
    const second = await http.post(`${api}/quizzes/${quiz.body.id}/attempts`).set('Authorization', ada);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('OSV_ERR_QUIZ_NO_ATTEMPTS_LEFT');
  });

  it('keeps tenants, learners and capabilities apart', async () => {
    const { http } = platform;
    const { questions } = await importFixture(acme, 'private', 'gift', 'fixtures.gift.txt');
    const quiz = await http.post(`${api}/courses/private/quizzes`).set('Authorization', acme.instructor).send({ title: 'Q', questionIds: [questions[0]!.id] });
    // Another tenant sees neither the bank nor the quiz.
    expect((await http.get(`${api}/courses/private/questions`).set('Authorization', globex.instructor)).body).toEqual([]);
    const foreign = await http.post(`${api}/quizzes/${quiz.body.id}/attempts`).set('Authorization', await memberToken(globex, 'eve'));
    expect(foreign.status).toBe(404);
    const foreignQuestion = await http.post(`${api}/courses/private/quizzes`).set('Authorization', globex.instructor).send({ title: 'steal', questionIds: [questions[0]!.id] });
    expect(foreignQuestion.status).toBe(400);
    expect(foreignQuestion.body.error.details[0].field).toBe('body.questionIds');
    // A learner may not read the bank (it holds the answers) nor edit it.
    expect((await http.get(`${api}/courses/private/questions`).set('Authorization', acme.learner)).body.error.code).toBe('OSV_ERR_FORBIDDEN');
    expect((await http.get(`${api}/courses/private/questions`).set('Authorization', await memberToken(acme, 'bob'))).status).toBe(403);
    // Another learner cannot answer or submit someone else's attempt.
    const started = await http.post(`${api}/quizzes/${quiz.body.id}/attempts`).set('Authorization', await memberToken(acme, 'carol'));
    const mallory = await memberToken(acme, 'mallory');
    expect((await http.post(`${api}/attempts/${started.body.attemptId}/submit`).set('Authorization', mallory)).status).toBe(404);
    // An API key is not a learner.
    const byKey = await http.post(`${api}/quizzes/${quiz.body.id}/attempts`).set('Authorization', acme.learner);
    expect(byKey.status).toBe(403);
    expect(byKey.body.error.message).toContain("member's access token");
    expect((await http.post(`${api}/quizzes/not-a-uuid/attempts`).set('Authorization', mallory)).status).toBe(400);
  });
  it('practises adaptively: feedback at once, a question got wrong comes back once its review is due', async () => {
    const { http } = platform;
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      const created = await http.post(`${api}/courses/drill/questions`).set('Authorization', acme.instructor).send({ type: 'truefalse', name, text: `${name}?`, correct: true, feedbackFalse: 'It is true.' });
      ids.push(created.body.id);
    }
    await http.post(`${api}/courses/drill/questions`).set('Authorization', acme.instructor).send({ type: 'essay', name: 'essay', text: 'Write' });
    const dan = await memberToken(acme, 'dan');
    const first = await http.get(`${api}/courses/drill/practice/next`).set('Authorization', dan);
    expect(first.body).toMatchObject({ reason: 'adaptive', targetDifficulty: 0.5, difficulty: 0.5 });
    expect(JSON.stringify(first.body)).not.toContain('It is true.');
    const missed = first.body.question.id as string;
    expect(ids).toContain(missed);
    const answered = await http.post(`${api}/courses/drill/practice/${missed}/answers`).set('Authorization', dan).send({ response: { value: false } });
    expect(answered.status).toBe(201);
    expect(answered.body).toMatchObject({ fraction: 0, feedback: ['It is true.'] });

    const next = await http.get(`${api}/courses/drill/practice/next`).set('Authorization', dan);
    expect(next.body.question.id).not.toBe(missed);
    expect(next.body.targetDifficulty).toBe(0);
    // Ten minutes later (moved back in the database rather than waited for) the missed question is due.
    await execute(platform.kernel.db, "UPDATE quiz_practice_answers SET answered_at = answered_at - interval '11 minutes' WHERE question_id = $1", [missed]);
    const review = await http.get(`${api}/courses/drill/practice/next`).set('Authorization', dan);
    expect(review.body).toMatchObject({ reason: 'review', question: { id: missed } });

    const essay = (await http.get(`${api}/courses/drill/questions`).set('Authorization', acme.instructor)).body.find((q: { type: string }) => q.type === 'essay');
    const refused = await http.post(`${api}/courses/drill/practice/${essay.id}/answers`).set('Authorization', dan).send({ response: { text: 'x' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('not graded automatically');
  });
});
