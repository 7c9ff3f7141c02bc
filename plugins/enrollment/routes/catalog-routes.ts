import { z } from 'zod';
import { OsvError, type PluginContext, type Principal } from '../../../core/plugin-api.js';
import type { CatalogSearch } from '../catalog/catalog-search.js';
import type { CourseInput, CourseStore } from '../catalog/course-store.js';
import { catalogPageSchema, courseDetailSchema } from '../catalog/wire.js';
import { SeatLedger } from '../enroll/seat-ledger.js';
import type { CourseRow } from '../rows.js';
import { enrollmentSettings } from '../settings.js';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,99}$/, 'must be 2-100 lowercase letters, digits or hyphens');
const timestamp = z.iso.datetime({ offset: true }).nullable();

const courseFields = {
  slug,
  title: z.string().trim().min(1).max(200),
  summary: z.string().max(1000),
  description: z.string().max(20_000),
  status: z.enum(['draft', 'published']),
  priceCents: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[a-zA-Z]{3}$/, 'must be an ISO 4217 code such as usd').transform((code) => code.toLowerCase()),
  seatLimit: z.number().int().min(0).max(1_000_000).nullable(),
  enrollmentOpensAt: timestamp,
  enrollmentClosesAt: timestamp,
  ltiContextId: z.string().min(1).max(255).nullable(),
};

const createCourseBody = z
  .object({
    ...courseFields,
    summary: courseFields.summary.default(''),
    description: courseFields.description.default(''),
    status: courseFields.status.default('draft'),
    priceCents: courseFields.priceCents.default(0),
    currency: courseFields.currency.default('usd'),
    seatLimit: courseFields.seatLimit.default(null),
    enrollmentOpensAt: timestamp.default(null),
    enrollmentClosesAt: timestamp.default(null),
    ltiContextId: courseFields.ltiContextId.default(null),
  })
  .refine(
    (course) => !course.enrollmentOpensAt || !course.enrollmentClosesAt || course.enrollmentOpensAt < course.enrollmentClosesAt,
    { message: 'enrollmentClosesAt must come after enrollmentOpensAt', path: ['enrollmentClosesAt'] },
  );

const updateCourseBody = z.object(courseFields).partial().refine((changes) => Object.keys(changes).length > 0, 'nothing to change');

const managedCourseSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  status: z.enum(['draft', 'published']),
  priceCents: z.number(),
  currency: z.string(),
  seatLimit: z.number().nullable(),
  seatsTaken: z.number(),
  enrollmentOpensAt: z.string().nullable(),
  enrollmentClosesAt: z.string().nullable(),
  ltiContextId: z.string().nullable(),
});

function toManagedCourse(row: CourseRow): z.infer<typeof managedCourseSchema> {
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    description: row.description,
    status: row.status,
    priceCents: row.price_cents,
    currency: row.currency,
    seatLimit: row.seat_limit,
    seatsTaken: row.seats_taken,
    enrollmentOpensAt: iso(row.enrollment_opens_at),
    enrollmentClosesAt: iso(row.enrollment_closes_at),
    ltiContextId: row.lti_context_id,
  };
}

const MANAGE = 'enrollment:catalog.manage';

/** The public catalog (guests through a publishable key, members) and the instructors' write API. */
export function catalogRoutes(ctx: PluginContext, deps: { search: CatalogSearch; courses: CourseStore }): void {
  const { search, courses } = deps;
  const canManage = (principal: Principal | undefined) => (principal ? ctx.holds(principal, MANAGE) : Promise.resolve(false));

  ctx.http.route({
    method: 'get',
    path: '/courses',
    summary: 'Search the published catalog (ranked full-text; any word may match, as a prefix)',
    access: 'enrollment:catalog.read',
    widgets: ['osv-catalog'],
    query: z.object({
      q: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(50).default(20),
      cursor: z.string().max(64).optional(),
    }),
    response: catalogPageSchema,
    handler: ({ query, principal }) => search.page(principal!.tenantId, query),
  });

  ctx.http.route({
    method: 'get',
    path: '/courses/:idOrSlug',
    summary: 'One course with its modules and lessons (drafts only for those who manage the catalog)',
    access: 'enrollment:catalog.read',
    widgets: ['osv-catalog', 'osv-enroll'],
    params: z.object({ idOrSlug: z.string().min(1).max(100) }),
    response: courseDetailSchema,
    handler: async ({ params, principal }) => {
      const tenantId = principal!.tenantId;
      const course = await courses.find(tenantId, params.idOrSlug);
      if (!course || (course.status !== 'published' && !(await canManage(principal)))) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course in the catalog');
      return courses.detail(tenantId, course);
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/courses',
    summary: 'Create a course (draft unless status says published)',
    access: MANAGE,
    status: 201,
    body: createCourseBody,
    response: managedCourseSchema,
    handler: async ({ body, principal }) => {
      const tenantId = principal!.tenantId;
      const course = await courses.create(tenantId, body as CourseInput);
      await search.invalidate(tenantId);
      return toManagedCourse(course);
    },
  });

  ctx.http.route({
    method: 'patch',
    path: '/courses/:id',
    summary: 'Change a course; a higher seat limit promotes waitlisted learners at once',
    access: MANAGE,
    params: z.object({ id: z.uuid() }),
    body: updateCourseBody,
    response: managedCourseSchema,
    handler: async ({ params, body, principal }) => {
      const tenantId = principal!.tenantId;
      const { offerHours } = enrollmentSettings(await ctx.settings(tenantId));
      const updated = await ctx.db.transaction(async (tx) => {
        const ledger = new SeatLedger(ctx, tenantId, tx);
        const course = await ledger.lockCourse(params.id);
        if (!course) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course');
        const changed = await courses.update(tenantId, course, body as Partial<CourseInput>, tx);
        await ledger.promote(changed, offerHours);
        return changed;
      });
      await search.invalidate(tenantId);
      return toManagedCourse(updated);
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/courses/:id/modules',
    summary: 'Add a module to a course',
    access: MANAGE,
    status: 201,
    params: z.object({ id: z.uuid() }),
    body: z.object({ title: z.string().trim().min(1).max(200), position: z.number().int().min(0).max(10_000).optional() }),
    response: z.object({ id: z.uuid(), title: z.string(), position: z.number() }),
    handler: async ({ params, body, principal }) => {
      const module = await courses.addModule(principal!.tenantId, params.id, body);
      return { id: module.id, title: module.title, position: module.position };
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/modules/:id/lessons',
    summary: 'Add a lesson to a module',
    access: MANAGE,
    status: 201,
    params: z.object({ id: z.uuid() }),
    body: z.object({
      title: z.string().trim().min(1).max(200),
      body: z.string().max(200_000).default(''),
      position: z.number().int().min(0).max(10_000).optional(),
    }),
    response: z.object({ id: z.uuid(), title: z.string(), position: z.number() }),
    handler: async ({ params, body, principal }) => {
      const lesson = await courses.addLesson(principal!.tenantId, params.id, body);
      return { id: lesson.id, title: lesson.title, position: lesson.position };
    },
  });
}
