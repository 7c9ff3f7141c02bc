import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogPage, CourseDetail } from '../../../widgets/src/api-types.js';
import { commercePlugins, createCourse, enableCommerce, member } from '../../../test/support/commerce.js';
import { TEST_REDIS_URL } from '../../../test/support/databases.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';

const SITE = 'https://www.acme.edu';
let platform: TestPlatform;
let acme: Tenancy;
let globex: Tenancy;
let publishableKey: string;
let redis: Redis;

const catalog = (query: string) => platform.http.get(`/api/v1/plugins/enrollment/courses?key=${publishableKey}&${query}`).set('Origin', SITE);

beforeAll(async () => {
  platform = await startTestPlatform({ redis: true, plugins: commercePlugins() });
  redis = new Redis(TEST_REDIS_URL);
  acme = await createTenant(platform.kernel, 'acme');
  globex = await createTenant(platform.kernel, 'globex');
  for (const tenant of [acme, globex]) await enableCommerce(platform.kernel, tenant.tenantId);
  publishableKey = (await platform.kernel.publishableKeys.create(acme.tenantId, { name: 'site', allowedOrigins: [SITE], allowedWidgets: [] })).key;
  const { http } = platform;
  await createCourse(http, acme.instructor, { slug: 'intro-statistics', title: 'Introduction to Statistics', summary: 'Averages, spread and the normal curve.' });
  await createCourse(http, acme.instructor, { slug: 'data-science', title: 'Data Science with Python', summary: 'pandas and plots; statistics in practice.', priceCents: 4900 });
  await createCourse(http, acme.instructor, { slug: 'advanced-statistics', title: 'Advanced Statistics', summary: 'Regression and inference.', seatLimit: 2 });
  await createCourse(http, acme.instructor, { slug: 'art-history', title: 'Art History', summary: 'Painting.', enrollmentClosesAt: '2020-01-01T00:00:00Z' });
  await createCourse(http, acme.instructor, { slug: 'secret-draft', title: 'Statistics draft', status: 'draft' });
  await createCourse(http, globex.instructor, { slug: 'globex-statistics', title: 'Globex Statistics' });
  for (let n = 1; n <= 5; n++) await createCourse(http, acme.instructor, { slug: `spanish-${n}`, title: `Spanish ${n}`, description: 'conversación' });
});
afterAll(async () => {
  redis?.disconnect();
  await platform?.close();
});

describe('the catalog', () => {
  it('lets a site visitor (publishable key, guest) search published courses, ranked, in the wire contract shape', async () => {
    const response = await catalog('q=statistics');
    expect(response.status).toBe(200);
    const page = response.body as CatalogPage;
    // Title matches (weight A) rank above a summary match; the draft and the other tenant's course never show.
    expect(page.items.map((course) => course.slug)).toEqual(['advanced-statistics', 'intro-statistics', 'data-science']);
    expect(page.items[2]).toEqual({
      id: expect.any(String),
      slug: 'data-science',
      title: 'Data Science with Python',
      summary: 'pandas and plots; statistics in practice.',
      priceCents: 4900,
      currency: 'usd',
      seatsLeft: null,
      enrollmentOpen: true,
      paid: true,
    });
    expect(page.nextCursor).toBeNull();
  });

  it('matches any word (OR), words as prefixes for type-ahead, and English stems', async () => {
    const slugs = async (q: string) => ((await catalog(`q=${encodeURIComponent(q)}`)).body as CatalogPage).items.map((course) => course.slug);
    expect(await slugs('stat')).toEqual(expect.arrayContaining(['intro-statistics', 'advanced-statistics', 'data-science']));
    expect(await slugs('regression painting')).toEqual(expect.arrayContaining(['advanced-statistics', 'art-history']));
    expect(await slugs('plot')).toEqual(['data-science']);
    expect(await slugs('conversación')).toHaveLength(5);
    expect(await slugs('nothing-like-this')).toEqual([]);
  });

  it('refuses a publishable key limited to other widgets, and lets <osv-enroll> read one course', async () => {
    const tutorOnly = await platform.kernel.publishableKeys.create(acme.tenantId, { name: 'tutor', allowedOrigins: [SITE], allowedWidgets: ['osv-tutor'] });
    const refused = await platform.http.get(`/api/v1/plugins/enrollment/courses?key=${tutorOnly.key}`).set('Origin', SITE);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('OSV_ERR_WIDGET_NOT_ALLOWED');
    const enrollOnly = await platform.kernel.publishableKeys.create(acme.tenantId, { name: 'button', allowedOrigins: [SITE], allowedWidgets: ['osv-enroll'] });
    expect((await platform.http.get(`/api/v1/plugins/enrollment/courses?key=${enrollOnly.key}`).set('Origin', SITE)).status).toBe(403);
    const [first] = (await catalog('limit=1')).body.items;
    expect((await platform.http.get(`/api/v1/plugins/enrollment/courses/${first.id}?key=${enrollOnly.key}`).set('Origin', SITE)).status).toBe(200);
  });

  it('pages with an opaque cursor and refuses a forged one', async () => {
    const first = (await catalog('q=spanish&limit=2')).body as CatalogPage;
    expect(first.items).toHaveLength(2);
    const second = (await catalog(`q=spanish&limit=2&cursor=${first.nextCursor}`)).body as CatalogPage;
    const third = (await catalog(`q=spanish&limit=2&cursor=${second.nextCursor}`)).body as CatalogPage;
    expect(third.nextCursor).toBeNull();
    const all = [...first.items, ...second.items, ...third.items].map((course) => course.slug);
    expect(new Set(all).size).toBe(5);
    const forged = await catalog('q=spanish&cursor=bm9wZQ');
    expect(forged.status).toBe(400);
    expect(forged.body.error.details[0].field).toBe('query.cursor');
    const tooMany = await catalog('limit=500');
    expect(tooMany.body.error.code).toBe('OSV_ERR_VALIDATION');
  });

  it('shows a course with its modules and lessons by id or slug; drafts only to instructors', async () => {
    const { http } = platform;
    const course = await createCourse(http, acme.instructor, { slug: 'with-lessons', title: 'With lessons' });
    const module = await http.post(`/api/v1/plugins/enrollment/courses/${course.id}/modules`).set('Authorization', acme.instructor).send({ title: 'Week 1' });
    expect(module.status).toBe(201);
    await http.post(`/api/v1/plugins/enrollment/modules/${module.body.id}/lessons`).set('Authorization', acme.instructor).send({ title: 'Welcome', position: 1 });
    await http.post(`/api/v1/plugins/enrollment/modules/${module.body.id}/lessons`).set('Authorization', acme.instructor).send({ title: 'Intro', position: 0 });
    const detail = (await http.get(`/api/v1/plugins/enrollment/courses/with-lessons?key=${publishableKey}`).set('Origin', SITE)).body as CourseDetail;
    expect(detail.modules).toEqual([{ id: module.body.id, title: 'Week 1', lessons: [{ id: expect.any(String), title: 'Intro' }, { id: expect.any(String), title: 'Welcome' }] }]);
    expect((await http.get(`/api/v1/plugins/enrollment/courses/${course.id}`).set('Authorization', acme.learner)).body.slug).toBe('with-lessons');
    expect((await http.get('/api/v1/plugins/enrollment/courses/secret-draft').set('Authorization', acme.learner)).status).toBe(404);
    expect((await http.get('/api/v1/plugins/enrollment/courses/secret-draft').set('Authorization', acme.instructor)).status).toBe(200);
    expect((await http.get('/api/v1/plugins/enrollment/courses/globex-statistics').set('Authorization', acme.learner)).status).toBe(404);
  });

  it('serves repeated searches from Redis and retires them the moment a course changes', async () => {
    const { http } = platform;
    const before = ((await catalog('q=renamed')).body as CatalogPage).items;
    expect(before).toEqual([]);
    const keys = await redis.keys(`${platform.env.OSV_QUEUE_PREFIX}:cache:enrollment:catalog:*`);
    expect(keys.length).toBeGreaterThan(0);
    const art = ((await catalog('q=art')).body as CatalogPage).items[0]!;
    const patched = await http.patch(`/api/v1/plugins/enrollment/courses/${art.id}`).set('Authorization', acme.instructor).send({ title: 'Art History, renamed' });
    expect(patched.status).toBe(200);
    expect(((await catalog('q=renamed')).body as CatalogPage).items.map((course) => course.slug)).toEqual(['art-history']);
    const unpublished = await http.patch(`/api/v1/plugins/enrollment/courses/${art.id}`).set('Authorization', acme.instructor).send({ status: 'draft' });
    expect(unpublished.body.status).toBe('draft');
    expect(((await catalog('q=renamed')).body as CatalogPage).items).toEqual([]);
  });

  it('reports seats left live, even from a cached page, and enrollment windows', async () => {
    const { http, kernel } = platform;
    const seats = async () => ((await catalog('q=advanced')).body as CatalogPage).items[0]!;
    expect((await seats()).seatsLeft).toBe(2);
    const ada = await member(kernel, acme.tenantId, 'ada');
    const enrolled = await http.post(`/api/v1/plugins/enrollment/courses/${(await seats()).id}/enroll`).set('Authorization', ada.auth);
    expect(enrolled.body.status).toBe('enrolled');
    expect((await seats()).seatsLeft).toBe(1);
    const closed = ((await catalog('q=history')).body as CatalogPage).items;
    expect(closed).toEqual([]);
  });

  it('validates writes and keeps them to those who manage the catalog', async () => {
    const { http } = platform;
    const bad = await http
      .post('/api/v1/plugins/enrollment/courses')
      .set('Authorization', acme.instructor)
      .send({ slug: 'Bad Slug', title: '', priceCents: -1, currency: 'dollars' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['body.currency', 'body.priceCents', 'body.slug', 'body.title']);
    const duplicate = await http.post('/api/v1/plugins/enrollment/courses').set('Authorization', acme.instructor).send({ slug: 'intro-statistics', title: 'Again' });
    expect(duplicate.status).toBe(409);
    const asLearner = await http.post('/api/v1/plugins/enrollment/courses').set('Authorization', acme.learner).send({ slug: 'mine', title: 'Mine' });
    expect(asLearner.status).toBe(403);
    const asGuest = await http.post(`/api/v1/plugins/enrollment/courses?key=${publishableKey}`).set('Origin', SITE).send({ slug: 'mine', title: 'Mine' });
    expect(asGuest.status).toBe(403);
  });
});
