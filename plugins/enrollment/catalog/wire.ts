import { z } from 'zod';
import type { CatalogCourse, CourseDetail } from '../../../widgets/src/api-types.js';
import { type CourseRow, enrollmentOpen } from '../rows.js';

/** The widgets' wire contract (widgets/src/api-types.ts) as zod, for validation and OpenAPI. */
export const catalogCourseSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  seatsLeft: z.number().int().nullable(),
  enrollmentOpen: z.boolean(),
  paid: z.boolean(),
}) satisfies z.ZodType<CatalogCourse>;

export const catalogPageSchema = z.object({ items: z.array(catalogCourseSchema), nextCursor: z.string().nullable() });

export const courseDetailSchema = catalogCourseSchema.extend({
  modules: z.array(z.object({ id: z.uuid(), title: z.string(), lessons: z.array(z.object({ id: z.uuid(), title: z.string() })) })),
}) satisfies z.ZodType<CourseDetail>;

export type CatalogFields = Pick<
  CourseRow,
  'id' | 'slug' | 'title' | 'summary' | 'status' | 'price_cents' | 'currency' | 'seat_limit' | 'seats_taken' | 'enrollment_opens_at' | 'enrollment_closes_at'
>;

export function toCatalogCourse(row: CatalogFields, now = new Date()): CatalogCourse {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    priceCents: row.price_cents,
    currency: row.currency,
    seatsLeft: row.seat_limit === null ? null : Math.max(0, row.seat_limit - row.seats_taken),
    enrollmentOpen: enrollmentOpen(row, now),
    paid: row.price_cents > 0,
  };
}
