import { z } from 'zod';
import { definePlugin, OsvError } from '../../../../core/plugin-api.js';
import type { CatalogCourse, CatalogPage, CourseDetail, EnrollResult } from '../../../../widgets/src/api-types.js';

const course = (id: string, title: string, summary: string, extra: Partial<CatalogCourse> = {}): CourseDetail => ({
  id,
  slug: id,
  title,
  summary,
  priceCents: 0,
  currency: 'usd',
  seatsLeft: null,
  enrollmentOpen: true,
  paid: false,
  modules: [
    { id: `${id}-m1`, title: 'Getting started', lessons: [{ id: `${id}-l1`, title: 'Welcome' }] },
    { id: `${id}-m2`, title: 'Going further', lessons: [{ id: `${id}-l2`, title: 'Practice' }] },
  ],
  ...extra,
});

export const fakeCourses: CourseDetail[] = [
  course('intro-statistics', 'Introduction to Statistics', 'Averages, spread and the normal curve, with real data.', { seatsLeft: 12 }),
  course('data-science-python', 'Data Science with Python', 'pandas, plots and models from the first lesson.', { paid: true, priceCents: 4900 }),
  course('advanced-statistics', 'Advanced Statistics', 'Regression, inference and Bayesian thinking.', { seatsLeft: 0 }),
  course('art-history', 'Art History: Renaissance to Today', 'Five centuries of painting in twelve weeks.', { enrollmentOpen: false }),
  course('creative-writing', 'Creative Writing', 'Short fiction workshop with weekly feedback.'),
  course('linear-algebra', 'Linear Algebra', 'Vectors, matrices and why they matter for machine learning.'),
  course('spanish-a1', 'Spanish for Beginners', 'Speak from day one: everyday Spanish, level A1.'),
];

export interface CatalogRequest {
  path: string;
  q?: string;
  principal: string;
  idempotencyKey?: string;
}

/**
 * A stand-in for the `enrollment` plugin serving the contract in widgets/src/api-types.ts from
 * memory, recording what the widgets asked for.
 */
export function fakeEnrollmentPlugin() {
  const requests: CatalogRequest[] = [];
  const enrollments = new Map<string, EnrollResult>();
  const plugin = definePlugin({
    manifest: {
      id: 'enrollment',
      name: 'Enrollment (test stand-in)',
      version: '0.0.1',
      coreRange: '>=0.1.0',
      capabilities: {
        'enrollment:browse': { description: 'Browse the catalog', defaultRoles: ['guest', 'learner', 'instructor'] },
        'enrollment:enroll': { description: 'Enroll', defaultRoles: ['learner'] },
      },
    },
    register(ctx) {
      ctx.http.route({
        method: 'get',
        path: '/courses',
        summary: 'Catalog',
        access: 'enrollment:browse',
        query: z.object({ q: z.string().default(''), limit: z.coerce.number().int().min(1).max(50).default(10), cursor: z.string().optional() }),
        handler: ({ query, principal }): CatalogPage => {
          requests.push({ path: '/courses', q: query.q, principal: principal!.kind });
          const needle = query.q.toLowerCase();
          const matches = fakeCourses.filter((c) => `${c.title} ${c.summary}`.toLowerCase().includes(needle));
          const start = Number(query.cursor ?? 0);
          const items = matches.slice(start, start + query.limit).map(({ modules: _modules, ...item }) => item);
          return { items, nextCursor: start + query.limit < matches.length ? String(start + query.limit) : null };
        },
      });
      ctx.http.route({
        method: 'get',
        path: '/courses/:idOrSlug',
        summary: 'Course',
        access: 'enrollment:browse',
        params: z.object({ idOrSlug: z.string() }),
        handler: ({ params }) => {
          const found = fakeCourses.find((c) => c.id === params.idOrSlug || c.slug === params.idOrSlug);
          if (!found) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course');
          return found;
        },
      });
      ctx.http.route({
        method: 'get',
        path: '/courses/:idOrSlug/enrollment',
        summary: 'Where the member stands',
        access: 'enrollment:enroll',
        params: z.object({ idOrSlug: z.string() }),
        handler: () => ({ status: 'none' }),
      });
      ctx.http.route({
        method: 'post',
        path: '/courses/:id/enroll',
        summary: 'Enroll',
        access: 'enrollment:enroll',
        params: z.object({ id: z.string() }),
        handler: ({ params, principal, req }): EnrollResult => {
          const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
          requests.push({ path: `/courses/${params.id}/enroll`, principal: principal!.kind, idempotencyKey });
          if (principal!.kind !== 'member') throw new OsvError('OSV_ERR_UNAUTHENTICATED', 'Enrolling needs a member');
          if (!idempotencyKey) throw new OsvError('OSV_ERR_VALIDATION', 'Idempotency-Key header is required');
          const known = enrollments.get(idempotencyKey);
          if (known) return known;
          const target = fakeCourses.find((c) => c.id === params.id);
          if (!target) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course');
          const result: EnrollResult = target.paid
            ? { status: 'checkout', checkoutUrl: `https://checkout.stripe.com/c/pay/cs_test_${target.id}`, holdExpiresAt: new Date(Date.now() + 1_800_000).toISOString() }
            : target.seatsLeft === 0
              ? { status: 'waitlisted', enrollmentId: `w-${enrollments.size + 1}`, position: 3 }
              : { status: 'enrolled', enrollmentId: `e-${enrollments.size + 1}` };
          enrollments.set(idempotencyKey, result);
          return result;
        },
      });
    },
  });
  return { plugin, requests };
}
