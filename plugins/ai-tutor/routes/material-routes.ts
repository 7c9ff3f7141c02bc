import { z } from 'zod';
import type { PluginContext, Principal } from '../../../core/plugin-api.js';
import { courseIdSchema, resolveCourse } from '../courses.js';
import type { MaterialService } from '../materials/material-service.js';
import { receiveUpload } from '../materials/upload.js';
import { tutorSettings } from '../settings.js';

const materialView = z.object({
  id: z.string(),
  courseId: z.string(),
  title: z.string(),
  live: z.boolean(),
  filename: z.string(),
  kind: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  status: z.string(),
  stage: z.string(),
  percent: z.number(),
  error: z.string().nullable(),
  summary: z.string().nullable(),
  summarySource: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const courseParams = z.object({ courseId: courseIdSchema });
const materialParams = z.object({ id: z.uuid() });

function uploader(principal: Principal): string {
  return principal.userId ?? principal.apiKeyId ?? 'unknown';
}

/** Instructors' materials API: upload, list with progress, replace, re-index, delete. */
export function materialRoutes(ctx: PluginContext, materials: MaterialService): void {
  const maxBytes = async (tenantId: string) => tutorSettings(await ctx.settings(tenantId)).maxUploadMegabytes * 1024 * 1024;
  /** The material, if the caller may manage its course. */
  const owned = async (principal: Principal, id: string) => {
    const material = await materials.get(principal.tenantId, id);
    resolveCourse(ctx, principal, material.courseId);
    return material;
  };

  ctx.http.route({
    method: 'get',
    path: '/courses/:courseId/materials',
    summary: "A course's materials with their processing status (stage, percent, error)",
    access: 'ai-tutor:manage',
    params: courseParams,
    response: z.array(materialView),
    handler: ({ params, principal }) => materials.list(principal!.tenantId, resolveCourse(ctx, principal!, params.courseId)),
  });

  ctx.http.route({
    method: 'post',
    path: '/courses/:courseId/materials',
    summary: 'Upload a material (multipart/form-data: file, optional title); it is processed by jobs',
    access: 'ai-tutor:manage',
    params: courseParams,
    streamBody: true,
    status: 202,
    response: materialView,
    handler: async ({ params, principal, req }) => {
      const courseId = resolveCourse(ctx, principal!, params.courseId);
      const file = await receiveUpload(req, await maxBytes(principal!.tenantId));
      return materials.create(principal!.tenantId, courseId, uploader(principal!), file);
    },
  });

  // The same two routes with the course optional: inside an LTI launch it is the launch's course.
  const launchCourse = z.object({ courseId: z.string().max(200).optional() });
  ctx.http.route({
    method: 'get',
    path: '/materials',
    summary: "A course's materials with their processing status (the course of the caller's LTI launch when courseId is absent)",
    access: 'ai-tutor:manage',
    query: launchCourse,
    response: z.array(materialView),
    handler: ({ query, principal }) => materials.list(principal!.tenantId, resolveCourse(ctx, principal!, query.courseId || undefined)),
  });

  ctx.http.route({
    method: 'post',
    path: '/materials',
    summary: "Upload a material to a course (the course of the caller's LTI launch when courseId is absent)",
    access: 'ai-tutor:manage',
    query: launchCourse,
    streamBody: true,
    status: 202,
    response: materialView,
    handler: async ({ query, principal, req }) => {
      const courseId = resolveCourse(ctx, principal!, query.courseId || undefined);
      const file = await receiveUpload(req, await maxBytes(principal!.tenantId));
      return materials.create(principal!.tenantId, courseId, uploader(principal!), file);
    },
  });

  ctx.http.route({
    method: 'get',
    path: '/materials/:id',
    summary: 'One material with its processing status',
    access: 'ai-tutor:manage',
    params: materialParams,
    response: materialView,
    handler: ({ params, principal }) => owned(principal!, params.id),
  });

  ctx.http.route({
    method: 'put',
    path: '/materials/:id/file',
    summary: 'Replace the file of a material; students read the previous version until the new one is indexed',
    access: 'ai-tutor:manage',
    params: materialParams,
    streamBody: true,
    status: 202,
    response: materialView,
    handler: async ({ params, principal, req }) => {
      await owned(principal!, params.id);
      const file = await receiveUpload(req, await maxBytes(principal!.tenantId));
      return materials.replace(principal!.tenantId, params.id, file);
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/materials/:id/reindex',
    summary: 'Process the newest file of a material again',
    access: 'ai-tutor:manage',
    params: materialParams,
    status: 202,
    response: materialView,
    handler: async ({ params, principal }) => {
      await owned(principal!, params.id);
      return materials.reindex(principal!.tenantId, params.id);
    },
  });

  ctx.http.route({
    method: 'delete',
    path: '/materials/:id',
    summary: 'Delete a material; the tutor stops citing it at once',
    access: 'ai-tutor:manage',
    params: materialParams,
    status: 204,
    handler: async ({ params, principal }) => {
      await owned(principal!, params.id);
      await materials.delete(principal!.tenantId, params.id);
    },
  });
}
