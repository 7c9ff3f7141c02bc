import { z } from 'zod';
import type { PluginContext } from '../../../core/plugin-api.js';
import type { AttemptService } from '../attempts/attempt-service.js';
import { responseSchema } from '../scoring/response.js';

/** Learners: start (or resume) an attempt, answer its questions, submit it for a score. */
export function attemptRoutes(ctx: PluginContext, deps: { attempts: AttemptService }): void {
  const { attempts } = deps;

  ctx.http.route({
    method: 'post',
    path: '/quizzes/:id/attempts',
    summary: 'Start an attempt at a quiz, or resume the open one; answers the questions without their answers',
    access: 'quiz:attempt',
    status: 201,
    params: z.object({ id: z.uuid() }),
    handler: ({ params, principal }) => attempts.start(principal, params.id),
  });

  ctx.http.route({
    method: 'put',
    path: '/attempts/:id/responses/:questionId',
    summary: 'Answer (or change the answer to) one question of an open attempt',
    access: 'quiz:attempt',
    params: z.object({ id: z.uuid(), questionId: z.uuid() }),
    body: z.object({ response: responseSchema }),
    handler: ({ params, body, principal }) => attempts.answer(principal, params.id, params.questionId, body.response),
  });

  ctx.http.route({
    method: 'post',
    path: '/attempts/:id/submit',
    summary: 'Submit an attempt: answers the score, per-question results and feedback',
    access: 'quiz:attempt',
    params: z.object({ id: z.uuid() }),
    handler: ({ params, principal }) => attempts.submit(principal, params.id),
  });
}
