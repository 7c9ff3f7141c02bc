import { z } from 'zod';
import type { PluginContext } from '../../../core/plugin-api.js';
import type { PracticeService } from '../practice/practice-service.js';
import { responseSchema } from '../scoring/response.js';
import { courseParams, questionParams } from './params.js';

/** Learners: adaptive practice over the course bank, with feedback at once and no grade. */
export function practiceRoutes(ctx: PluginContext, deps: { practice: PracticeService }): void {
  ctx.http.route({
    method: 'get',
    path: '/courses/:courseId/practice/next',
    summary: 'The next practice question: a due review first, else one matched to your recent success rate',
    access: 'quiz:attempt',
    params: courseParams,
    handler: ({ params, principal }) => deps.practice.next(principal, params.courseId),
  });

  ctx.http.route({
    method: 'post',
    path: '/courses/:courseId/practice/:id/answers',
    summary: 'Answer a practice question; answers its score and feedback at once',
    access: 'quiz:attempt',
    status: 201,
    params: questionParams,
    body: z.object({ response: responseSchema }),
    handler: ({ params, body, principal }) => deps.practice.answer(principal, params.courseId, params.id, body.response),
  });
}
