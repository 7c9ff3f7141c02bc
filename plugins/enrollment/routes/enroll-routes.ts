import { z } from 'zod';
import type { EnrollResult, MemberEnrollment } from '../../../widgets/src/api-types.js';
import { OsvError, type PluginContext } from '../../../core/plugin-api.js';
import { type CourseStore, isCourseId } from '../catalog/course-store.js';
import type { EnrollService } from '../enroll/enroll-service.js';
import { memberEnrollment } from '../enroll/member-enrollment.js';
import { SeatLedger } from '../enroll/seat-ledger.js';
import { type EnrollmentRow, TABLES } from '../rows.js';
import { enrollmentSettings } from '../settings.js';
import { memberOf, preferredLocale } from './members.js';

export const LOCALES = ['en', 'es'] as const;

export const enrollResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('enrolled'), enrollmentId: z.uuid() }),
  z.object({ status: z.literal('waitlisted'), enrollmentId: z.uuid(), position: z.number().int() }),
  z.object({ status: z.literal('checkout'), checkoutUrl: z.url(), holdExpiresAt: z.string() }),
]) satisfies z.ZodType<EnrollResult>;

export const memberEnrollmentSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('none') }),
  z.object({ status: z.literal('enrolled'), enrollmentId: z.uuid() }),
  z.object({ status: z.literal('waitlisted'), enrollmentId: z.uuid(), position: z.number().int() }),
  z.object({ status: z.literal('pending-payment'), holdExpiresAt: z.string() }),
]) satisfies z.ZodType<MemberEnrollment>;

/** Courses are named by id or slug, as in the catalog. */
const courseRef = z.object({ idOrSlug: z.string().min(1).max(100) });

const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be 1-255 visible ASCII characters');

const enrollmentSchema = z.object({
  enrollmentId: z.uuid(),
  courseId: z.uuid(),
  userId: z.uuid(),
  status: z.enum(['enrolled', 'waitlisted', 'cancelled']),
  source: z.string(),
  paymentRef: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
});

function toEnrollment(row: EnrollmentRow): z.infer<typeof enrollmentSchema> {
  return {
    enrollmentId: row.id,
    courseId: row.course_id,
    userId: row.user_id,
    status: row.status,
    source: row.source,
    paymentRef: row.payment_ref,
    cancelReason: row.cancel_reason,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Enroll (free, waitlist or checkout), see one's enrollments, leave, and the instructors' roster. */
export function enrollRoutes(ctx: PluginContext, deps: { enroll: EnrollService; courses: CourseStore }): void {
  const courseIdOf = async (tenantId: string, idOrSlug: string) => {
    const course = await deps.courses.find(tenantId, idOrSlug);
    if (course?.status !== 'published') throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course in the catalog');
    return course.id;
  };

  ctx.http.route({
    method: 'get',
    path: '/courses/:idOrSlug/enrollment',
    widgets: ['osv-enroll'],
    summary: "The calling member's place in a course: none, enrolled, waitlisted (with position) or pending payment of a held seat",
    access: 'enrollment:enroll',
    params: courseRef,
    response: memberEnrollmentSchema,
    handler: async ({ params, principal }) => {
      const { tenantId, userId } = memberOf(principal);
      return memberEnrollment(ctx, tenantId, await courseIdOf(tenantId, params.idOrSlug), userId);
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/courses/:idOrSlug/enroll',
    widgets: ['osv-enroll'],
    summary: 'Enroll the calling member: enrolled, waitlisted, or a Stripe Checkout URL for a held seat (send an Idempotency-Key)',
    access: 'enrollment:enroll',
    params: courseRef,
    body: z.object({
      successUrl: z.string().max(2000).optional(),
      cancelUrl: z.string().max(2000).optional(),
      locale: z.enum(LOCALES).optional(),
    }),
    response: enrollResultSchema,
    handler: async ({ params, body, principal, req }) => {
      const { tenantId, userId } = memberOf(principal);
      const header = req.headers['idempotency-key'];
      const parsedKey = header === undefined ? undefined : idempotencyKey.safeParse(header);
      if (parsedKey && !parsedKey.success) {
        const issue = parsedKey.error.issues[0]?.message ?? 'is invalid';
        throw new OsvError('OSV_ERR_VALIDATION', `headers.idempotency-key: ${issue}`, [{ field: 'headers.idempotency-key', issue }]);
      }
      return deps.enroll.enroll({
        tenantId,
        userId,
        // An id goes straight to the enrollment, which finds (or refuses) the course under its lock.
        courseId: isCourseId(params.idOrSlug) ? params.idOrSlug : await courseIdOf(tenantId, params.idOrSlug),
        idempotencyKey: parsedKey?.data,
        locale: body.locale ?? preferredLocale(req.headers['accept-language'], LOCALES),
        successUrl: body.successUrl,
        cancelUrl: body.cancelUrl,
        origin: req.headers.origin,
      });
    },
  });

  ctx.http.route({
    method: 'get',
    path: '/me/enrollments',
    widgets: ['osv-enroll'],
    summary: "The calling member's enrollments and waitlist places",
    access: 'enrollment:enroll',
    response: z.array(enrollmentSchema),
    handler: async ({ principal }) => {
      const { tenantId, userId } = memberOf(principal);
      const rows = await ctx.db.forTenant(tenantId).select<EnrollmentRow>(TABLES.enrollments, { user_id: userId }, { orderBy: 'created_at', descending: true, limit: 500 });
      return rows.map(toEnrollment);
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/enrollments/:id/cancel',
    widgets: ['osv-enroll'],
    summary: 'Cancel an enrollment or leave a waitlist (your own; anyone’s with enrollment:roster.manage); the seat goes to the waitlist',
    access: 'enrollment:enroll',
    params: z.object({ id: z.uuid() }),
    response: enrollmentSchema,
    handler: async ({ params, principal }) => {
      const tenantId = principal!.tenantId;
      const { offerHours } = enrollmentSettings(await ctx.settings(tenantId));
      const manages = await ctx.holds(principal!, 'enrollment:roster.manage');
      return ctx.db.transaction(async (tx) => {
        const scope = ctx.db.forTenant(tenantId);
        const found = await scope.findOne<EnrollmentRow>(TABLES.enrollments, { id: params.id }, tx);
        if (!found || (!manages && found.user_id !== principal!.userId)) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such enrollment');
        const ledger = new SeatLedger(ctx, tenantId, tx);
        const course = await ledger.lockCourse(found.course_id);
        const enrollment = await scope.findOne<EnrollmentRow>(TABLES.enrollments, { id: params.id }, tx);
        await ledger.cancel(course!, enrollment!, 'cancelled', null, offerHours);
        return toEnrollment((await scope.findOne<EnrollmentRow>(TABLES.enrollments, { id: params.id }, tx))!);
      });
    },
  });

  ctx.http.route({
    method: 'get',
    path: '/courses/:id/roster',
    summary: "A course's enrollments and waitlist, in waitlist order",
    access: 'enrollment:roster.read',
    params: z.object({ id: z.uuid() }),
    query: z.object({ status: z.enum(['enrolled', 'waitlisted', 'cancelled']).optional() }),
    response: z.array(enrollmentSchema),
    handler: async ({ params, query, principal }) => {
      const scope = ctx.db.forTenant(principal!.tenantId);
      if (!(await scope.findOne(TABLES.courses, { id: params.id }))) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course in this tenant');
      const where = { course_id: params.id, ...(query.status ? { status: query.status } : {}) };
      const rows = await scope.select<EnrollmentRow>(TABLES.enrollments, where, { orderBy: 'seq', limit: 10_000 });
      return rows.map(toEnrollment);
    },
  });
}
