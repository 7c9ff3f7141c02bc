import { z } from 'zod';
import type { PluginContext } from '../../../core/plugin-api.js';
import { assertCourseAccess } from '../banks/course-access.js';
import type { QuestionBank, StoredQuestion } from '../banks/question-bank.js';
import type { QuizStore } from '../banks/quiz-store.js';
import { quizView } from '../banks/quiz-store.js';
import { exportGift } from '../formats/gift-export.js';
import { importGift } from '../formats/gift-import.js';
import { exportMoodleXml } from '../formats/moodle-xml-export.js';
import { importMoodleXml } from '../formats/moodle-xml-import.js';
import { questionSchema } from '../questions/question.js';
import { bankFormat, courseParams, questionParams } from './params.js';

const storedView = (stored: StoredQuestion) => ({ id: stored.id, courseId: stored.courseId, ...stored.question });

/** Instructors: a course's question bank (CRUD, Moodle XML and GIFT) and its quizzes. */
export function bankRoutes(ctx: PluginContext, deps: { bank: QuestionBank; quizzes: QuizStore }): void {
  const { bank, quizzes } = deps;

  ctx.http.route({
    method: 'get',
    path: '/courses/:courseId/questions',
    summary: "The course's question bank, with answers",
    access: 'quiz:manage',
    params: courseParams,
    handler: async ({ params, principal }) => {
      assertCourseAccess(ctx, principal!, params.courseId);
      return (await bank.list(principal!.tenantId, params.courseId)).map(storedView);
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/courses/:courseId/questions',
    summary: 'Add a question to the course bank',
    access: 'quiz:manage',
    status: 201,
    params: courseParams,
    body: questionSchema,
    handler: async ({ params, body, principal }) => {
      assertCourseAccess(ctx, principal!, params.courseId);
      const [stored] = await bank.add(principal!.tenantId, params.courseId, [body]);
      return storedView(stored!);
    },
  });

  ctx.http.route({
    method: 'put',
    path: '/courses/:courseId/questions/:id',
    summary: 'Replace a question',
    access: 'quiz:manage',
    params: questionParams,
    body: questionSchema,
    handler: async ({ params, body, principal }) => {
      assertCourseAccess(ctx, principal!, params.courseId);
      return storedView(await bank.replace(principal!.tenantId, params.courseId, params.id, body));
    },
  });

  ctx.http.route({
    method: 'delete',
    path: '/courses/:courseId/questions/:id',
    summary: 'Delete a question',
    access: 'quiz:manage',
    status: 204,
    params: questionParams,
    handler: async ({ params, principal }) => {
      assertCourseAccess(ctx, principal!, params.courseId);
      await bank.remove(principal!.tenantId, params.courseId, params.id);
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/courses/:courseId/questions/import',
    summary: 'Import a Moodle XML or GIFT file into the course bank (all its questions or none)',
    access: 'quiz:manage',
    status: 201,
    params: courseParams,
    body: z.object({ format: bankFormat, content: z.string().min(1).max(5_000_000) }),
    handler: async ({ params, body, principal }) => {
      assertCourseAccess(ctx, principal!, params.courseId);
      const imported = body.format === 'gift' ? importGift(body.content) : importMoodleXml(body.content);
      const stored = await bank.add(principal!.tenantId, params.courseId, imported.questions);
      return { category: imported.category, imported: stored.length, questions: stored.map(storedView) };
    },
  });

  ctx.http.route({
    method: 'get',
    path: '/courses/:courseId/questions/export',
    summary: "Export the course bank as Moodle XML or GIFT (what GIFT cannot express is left out)",
    access: 'quiz:manage',
    params: courseParams,
    query: z.object({ format: bankFormat.default('moodle-xml') }),
    handler: async ({ params, query, principal }) => {
      assertCourseAccess(ctx, principal!, params.courseId);
      const questions = (await bank.list(principal!.tenantId, params.courseId)).map((stored) => stored.question);
      const content = query.format === 'gift' ? exportGift(questions) : exportMoodleXml(questions);
      return { format: query.format, filename: `questions.${query.format === 'gift' ? 'gift.txt' : 'moodle.xml'}`, content };
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/courses/:courseId/quizzes',
    summary: 'Create a quiz from questions of the course bank, in order',
    access: 'quiz:manage',
    status: 201,
    params: courseParams,
    body: z.object({
      title: z.string().min(1).max(255),
      graded: z.boolean().default(true),
      attemptsAllowed: z.number().int().min(1).max(100).nullable().default(null),
      questionIds: z.array(z.uuid()).min(1).max(500).refine((ids) => new Set(ids).size === ids.length, 'lists a question twice'),
    }),
    handler: async ({ params, body, principal }) => {
      assertCourseAccess(ctx, principal!, params.courseId);
      return quizView(await quizzes.create(principal!.tenantId, params.courseId, body));
    },
  });

  ctx.http.route({
    method: 'get',
    path: '/courses/:courseId/quizzes',
    summary: "The course's quizzes",
    access: 'quiz:manage',
    params: courseParams,
    handler: async ({ params, principal }) => {
      assertCourseAccess(ctx, principal!, params.courseId);
      return (await quizzes.list(principal!.tenantId, params.courseId)).map(quizView);
    },
  });
}
