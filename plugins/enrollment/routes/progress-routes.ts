import { z } from 'zod';
import type { PluginContext } from '../../../core/plugin-api.js';
import type { ProgressService } from '../progress/progress-service.js';
import { memberOf } from './members.js';

const progressSchema = z.object({
  courseId: z.uuid(),
  completedLessonIds: z.array(z.uuid()),
  completedLessons: z.number().int(),
  totalLessons: z.number().int(),
  percent: z.number().int(),
});

/** Lesson progress of the calling member, in courses they are enrolled in. */
export function progressRoutes(ctx: PluginContext, deps: { progress: ProgressService }): void {
  ctx.http.route({
    method: 'post',
    path: '/lessons/:id/complete',
    summary: 'Mark a lesson completed (idempotent); answers the course progress',
    access: 'enrollment:progress',
    params: z.object({ id: z.uuid() }),
    response: progressSchema,
    handler: ({ params, principal }) => {
      const { tenantId, userId } = memberOf(principal);
      return deps.progress.complete(tenantId, userId, params.id);
    },
  });

  ctx.http.route({
    method: 'get',
    path: '/courses/:id/progress',
    summary: "The calling member's progress in a course",
    access: 'enrollment:progress',
    params: z.object({ id: z.uuid() }),
    response: progressSchema,
    handler: ({ params, principal }) => {
      const { tenantId, userId } = memberOf(principal);
      return deps.progress.forCourse(tenantId, userId, params.id);
    },
  });
}
