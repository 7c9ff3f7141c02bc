import { readFileSync } from 'node:fs';
import type supertest from 'supertest';
import type { Kernel } from '../../core/kernel.js';
import { ask, enableTutor, settled, upload } from '../../plugins/ai-tutor/test/tutor-support.js';
import { member } from './commerce.js';
import type { Tenancy } from './harness.js';

type Http = ReturnType<typeof supertest>;

const fixture = (path: string) => readFileSync(new URL(`../../plugins/${path}`, import.meta.url));
const QUIZ = '/api/v1/plugins/quiz';

function expectStatus(step: string, response: { status: number; body: unknown }, status: number): void {
  if (response.status !== status) throw new Error(`${step}: ${response.status} ${JSON.stringify(response.body)}`);
}

/**
 * Rows in every ai-tutor table for the tenant: a material indexed (with vectors, when the platform
 * has an embedding endpoint) and a learner's answered question.
 */
export async function seedTutor(kernel: Kernel, http: Http, tenant: Tenancy): Promise<void> {
  await enableTutor(kernel, tenant.tenantId);
  const material = await upload(http, tenant.instructor, 'stats', { name: 'statistics.md', bytes: fixture('ai-tutor/test/fixtures/statistics.md'), title: 'Averages' });
  expectStatus('tutor upload', material, 202);
  const ready = await settled(http, tenant.instructor, material.body.id, 60_000);
  if (ready.status !== 'ready') throw new Error(`tutor material ended ${ready.status}: ${ready.error}`);
  const learner = await member(kernel, tenant.tenantId, `tutor-learner-${tenant.slug}`);
  const answer = await ask(http, learner.auth, { courseId: 'stats', question: 'What is the median?' });
  if (!answer.done) throw new Error(`tutor answer: ${answer.status} ${JSON.stringify(answer.error ?? answer.body)}`);
}

/** Rows in every quiz table for the tenant: an imported bank, a submitted attempt and a practice answer. */
export async function seedQuiz(kernel: Kernel, http: Http, tenant: Tenancy): Promise<void> {
  await kernel.plugins.setEnabled(tenant.tenantId, 'quiz', true);
  const content = fixture('quiz/test/fixtures/fixtures.moodle.xml').toString('utf8');
  expectStatus('quiz import', await http.post(`${QUIZ}/courses/physics/questions/import`).set('Authorization', tenant.instructor).send({ format: 'moodle-xml', content }), 201);
  const bank = await http.get(`${QUIZ}/courses/physics/questions`).set('Authorization', tenant.instructor);
  const trueFalse = (bank.body as Array<{ id: string; type: string }>).find((question) => question.type === 'truefalse')!;
  const quiz = await http.post(`${QUIZ}/courses/physics/quizzes`).set('Authorization', tenant.instructor).send({ title: 'Week 1', questionIds: [trueFalse.id] });
  expectStatus('quiz create', quiz, 201);
  const learner = await member(kernel, tenant.tenantId, `quiz-learner-${tenant.slug}`);
  const attempt = await http.post(`${QUIZ}/quizzes/${quiz.body.id}/attempts`).set('Authorization', learner.auth);
  expectStatus('quiz attempt', attempt, 201);
  const responses = `${QUIZ}/attempts/${attempt.body.attemptId}/responses/${trueFalse.id}`;
  expectStatus('quiz answer', await http.put(responses).set('Authorization', learner.auth).send({ response: { value: true } }), 200);
  expectStatus('quiz submit', await http.post(`${QUIZ}/attempts/${attempt.body.attemptId}/submit`).set('Authorization', learner.auth), 200);
  const practice = `${QUIZ}/courses/physics/practice/${trueFalse.id}/answers`;
  expectStatus('quiz practice', await http.post(practice).set('Authorization', learner.auth).send({ response: { value: false } }), 201);
}
