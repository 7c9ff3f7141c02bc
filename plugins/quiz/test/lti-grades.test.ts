import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../../core/db/database.js';
import type { Tenancy } from '../../../test/support/harness.js';
import { eventually } from '../../../test/support/harness.js';
import type { Course, LaunchSpec, SimUser, ToolClient } from '../../../test/support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../../test/support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient, pageData } from '../../../test/support/lti-launch-client.js';
import { type ConnectedLms, type LtiTestPlatform, startConnectedLms } from '../../../test/support/lti-platform.js';

const api = '/api/v1/plugins/quiz';
const fixture = readFileSync(new URL('./fixtures/fixtures.moodle.xml', import.meta.url), 'utf8');

let connected: ConnectedLms;
let platform: LtiTestPlatform;
let lms: LmsSimulator;
let acme: Tenancy;
let client: ToolClient;
let course: Course;
let teacher: SimUser;
let learner: SimUser;

beforeAll(async () => {
  connected = await startConnectedLms({ enable: 'quiz' });
  ({ platform, lms, acme, client } = connected);
  course = lms.addCourse('Física 101');
  teacher = lms.addUser('Grace Teacher');
  learner = lms.addUser('Ada Learner');
  lms.enroll(course, teacher, 'Instructor');
  lms.enroll(course, learner, 'Learner');
});
afterAll(() => connected?.close());

async function launch(user: SimUser, spec: Partial<LaunchSpec>) {
  const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user, course, ...spec }));
  expect(steps.launch?.status, steps.launch?.body.slice(0, 500)).toBe(200);
  return pageData<{ session: { token: string }; contextId?: string; requestId?: string }>(steps.launch!.body);
}

/** Grade posts enqueued for the tenant (committed with the submit that caused them). */
async function gradePosts(): Promise<number> {
  const [row] = await selectRows<{ n: number }>(platform.kernel.db, "SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND name = 'lti:ags-score'", [acme.tenantId]);
  return row!.n;
}

/** The teacher adds the quiz to the course (deep linking), then builds it from a Moodle export. */
async function quizInCourse(graded: boolean) {
  const picker = await launch(teacher, { role: 'Instructor', messageType: 'LtiDeepLinkingRequest' });
  const teacherAuth = `Bearer ${picker.session.token}`;
  const answer = await platform.http.post(`/api/v1/lti/deep-links/${picker.requestId}/response`).set('Authorization', teacherAuth).send({ items: ['quiz:quiz'] });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect((await new LtiLaunchClient().post(answer.body.returnUrl, { JWT: answer.body.jwt })).status).toBe(200);
  const [item] = lms.records.deepLinkResponses.at(-1)!.payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Array<Record<string, unknown>>;

  const teaching = await launch(teacher, { role: 'Instructor', resourceLink: { id: 'quiz-link', title: 'Quiz' }, custom: item!.custom as Record<string, string> });
  const auth = `Bearer ${teaching.session.token}`;
  const courseId = teaching.contextId!;
  const imported = await platform.http.post(`${api}/courses/${courseId}/questions/import`).set('Authorization', auth).send({ format: 'moodle-xml', content: fixture });
  expect(imported.status, JSON.stringify(imported.body)).toBe(201);
  const questions = imported.body.questions as Array<{ id: string; name: string }>;
  const pick = (prefix: string) => questions.find((question) => question.name.startsWith(prefix))!.id;
  const questionIds = [pick('TF: Greek'), pick('SA: gracias'), pick('NUM: gravity')];
  const quiz = await platform.http.post(`${api}/courses/${courseId}/quizzes`).set('Authorization', auth).send({ title: 'Quiz 1', graded, questionIds });
  expect(quiz.status, JSON.stringify(quiz.body)).toBe(201);
  return { item: item!, quizId: quiz.body.id as string, questionIds, courseId };
}

describe('quiz grades to the LMS gradebook (LTI Assignment and Grade Services)', () => {
  it('launch → answer → submit → the score is in the LMS gradebook of the deep-linked quiz', async () => {
    const { item, quizId, questionIds } = await quizInCourse(true);
    expect(item).toMatchObject({ title: 'Quiz', custom: { osv_item: 'quiz:quiz' }, lineItem: { label: 'Quiz', scoreMaximum: 100, resourceId: 'quiz:quiz' } });

    const taking = await launch(learner, { resourceLink: { id: 'quiz-link', title: 'Quiz' }, gradable: true, custom: item.custom as Record<string, string> });
    const auth = `Bearer ${taking.session.token}`;
    const attempt = (await platform.http.post(`${api}/quizzes/${quizId}/attempts`).set('Authorization', auth).expect(201)).body;
    const answer = (questionId: string, response: unknown) =>
      platform.http.put(`${api}/attempts/${attempt.attemptId}/responses/${questionId}`).set('Authorization', auth).send({ response }).expect(200);
    await answer(questionIds[0]!, { value: true }); // 1 of 1
    await answer(questionIds[1]!, { text: 'gracias' }); // 1 of 1
    await answer(questionIds[2]!, { text: '10 m/s²' }); // 50 % of 2
    const submitted = await platform.http.post(`${api}/attempts/${attempt.attemptId}/submit`).set('Authorization', auth).expect(200);
    expect(submitted.body).toMatchObject({ score: 3, maxScore: 4 });

    const posted = await eventually(async () => lms.records.scores.find((score) => score.score.userId === learner.id));
    expect(posted).toMatchObject({ accepted: true, score: { scoreGiven: 75, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' } });
    expect(posted.lineItemId).toMatch(new RegExp(`^${lms.url}/ags/${course.id}/lineitems/`));
  });

  it('posts nothing for a practice quiz, and keeps a launched learner inside their course', async () => {
    const { item, quizId, questionIds } = await quizInCourse(false);
    const taking = await launch(learner, { resourceLink: { id: 'practice-link', title: 'Practice' }, gradable: true, custom: item.custom as Record<string, string> });
    const auth = `Bearer ${taking.session.token}`;
    const before = lms.records.scores.length;
    const postsBefore = await gradePosts();
    const attempt = (await platform.http.post(`${api}/quizzes/${quizId}/attempts`).set('Authorization', auth).expect(201)).body;
    await platform.http.put(`${api}/attempts/${attempt.attemptId}/responses/${questionIds[0]}`).set('Authorization', auth).send({ response: { value: true } }).expect(200);
    const submitted = await platform.http.post(`${api}/attempts/${attempt.attemptId}/submit`).set('Authorization', auth).expect(200);
    expect(submitted.body.score).toBe(1);
    expect(await gradePosts()).toBe(postsBefore);
    expect(lms.records.scores.length).toBe(before);

    // A quiz of another course of the tenant is invisible from this launch.
    const elsewhere = await platform.http.post(`${api}/courses/another-course/questions`).set('Authorization', acme.instructor).send({ type: 'truefalse', name: 'x', text: 'x', correct: true });
    const otherQuiz = await platform.http.post(`${api}/courses/another-course/quizzes`).set('Authorization', acme.instructor).send({ title: 'Other', questionIds: [elsewhere.body.id] });
    expect((await platform.http.post(`${api}/quizzes/${otherQuiz.body.id}/attempts`).set('Authorization', auth)).status).toBe(404);
    expect((await platform.http.get(`${api}/courses/another-course/questions`).set('Authorization', auth)).status).toBe(403);
  });
});
