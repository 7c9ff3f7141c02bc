import type { Response } from 'express';
import { z } from 'zod';
import { definePlugin } from '../../../../core/plugin-api.js';
import type { TutorAskRequest, TutorStreamEvent } from '../../../../widgets/src/api-types.js';

const send = (res: Response, { event, data }: TutorStreamEvent) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

export const tutorAnswer = ['The mean ', 'is the sum ', 'divided by the count [1]', ', and the median is the middle value [2].'];

/**
 * A stand-in for the `ai-tutor` plugin serving the SSE contract in widgets/src/api-types.ts. The
 * answer's last piece waits until the test calls `release()`, so a test can look at an answer
 * halfway through ("slow" in the question: before any of it). A question containing "fail" ends with
 * an `error` event.
 */
export function fakeTutorPlugin() {
  const asked: TutorAskRequest[] = [];
  let release: () => void = () => {};
  let gate = Promise.resolve();
  const plugin = definePlugin({
    manifest: {
      id: 'ai-tutor',
      name: 'AI tutor (test stand-in)',
      version: '0.0.1',
      coreRange: '>=0.1.0',
      capabilities: { 'ai-tutor:ask': { description: 'Ask the tutor', defaultRoles: ['guest', 'learner'] } },
    },
    register(ctx) {
      ctx.http.route({
        method: 'post',
        path: '/ask',
        summary: 'Ask (SSE)',
        access: 'ai-tutor:ask',
        body: z.object({ courseId: z.string(), question: z.string(), conversationId: z.string().optional() }),
        handler: async ({ body, res }) => {
          asked.push(body);
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
          res.write(': stream open\n\n');
          if (body.question.includes('fail')) {
            send(res, { event: 'error', data: { code: 'OSV_ERR_UNAVAILABLE', message: 'The tutor is resting' } });
            return void res.end();
          }
          if (body.question.includes('slow')) await gate;
          for (const text of tutorAnswer.slice(0, -1)) send(res, { event: 'token', data: { text } });
          await gate;
          send(res, { event: 'token', data: { text: tutorAnswer.at(-1)! } });
          send(res, { event: 'citation', data: { index: 1, materialId: 'm1', title: 'Lecture 2: Averages', page: 4, url: 'https://materials.example.edu/lecture-2.pdf#page=4' } });
          send(res, { event: 'citation', data: { index: 2, materialId: 'm2', title: 'Reading: the median', snippet: 'The median is…' } });
          send(res, { event: 'done', data: { conversationId: 'conv-1', turnId: `turn-${asked.length}` } });
          res.end();
        },
      });
    },
  });
  return {
    plugin,
    asked,
    /** Holds the end of every answer until `release()`. */
    hold() {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    release: () => release(),
  };
}
