import type { Request } from 'express';
import { z } from 'zod';
import { OsvError, type PluginContext } from '../../../core/plugin-api.js';
import type { AskService } from '../answering/ask-service.js';
import type { AnswerLocale } from '../answering/extractive-answer.js';
import { AnswerStream } from '../answering/sse.js';

const askBody = z.object({
  /** Empty or absent inside an LTI launch: the launch's course. */
  courseId: z.string().max(200).optional(),
  question: z.string().trim().min(1, 'is empty').max(2000, 'is longer than 2000 characters'),
  conversationId: z.uuid().optional(),
});

function localeOf(req: Request): AnswerLocale {
  return req.acceptsLanguages('en', 'es') === 'es' ? 'es' : 'en';
}

/** `POST /ask`: the answer streams as server-sent events (widgets/src/api-types.ts). */
export function askRoutes(ctx: PluginContext, ask: AskService): void {
  ctx.http.route({
    method: 'post',
    path: '/ask',
    summary: 'Ask the course tutor; the answer streams as server-sent events (token, citation, done | error)',
    access: 'ai-tutor:ask',
    widgets: ['osv-tutor'],
    body: askBody,
    handler: async ({ body, principal, req, res }) => {
      const controller = new AbortController();
      res.on('close', () => controller.abort());
      const input = { principal: principal!, courseId: body.courseId || undefined, question: body.question, conversationId: body.conversationId, locale: localeOf(req), signal: controller.signal };
      const prepared = await ask.prepare(input);
      const stream = new AnswerStream(res);
      stream.open();
      try {
        await ask.answer(input, prepared, stream);
      } catch (error) {
        if (!controller.signal.aborted) req.log.error({ err: error }, 'the tutor could not answer');
        const known = error instanceof OsvError ? error : new OsvError('OSV_ERR_INTERNAL', 'The tutor could not answer this time; try again');
        stream.send({ event: 'error', data: { code: known.code, message: known.message, requestId: req.id } });
      }
      stream.end();
    },
  });
}
