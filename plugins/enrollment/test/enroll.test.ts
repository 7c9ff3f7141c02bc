import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commercePlugins, createCourse, enableCommerce, member } from '../../../test/support/commerce.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';
import { countOf } from '../../../test/support/jobs.js';

let platform: TestPlatform;
let acme: Tenancy;

const enroll = (courseId: string, auth: string, key?: string) => {
  const request = platform.http.post(`/api/v1/plugins/enrollment/courses/${courseId}/enroll`).set('Authorization', auth);
  return key ? request.set('Idempotency-Key', key) : request;
};

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: commercePlugins() });
  acme = await createTenant(platform.kernel, 'acme');
  await enableCommerce(platform.kernel, acme.tenantId);
});
afterAll(() => platform?.close());

describe('enrolling', () => {
  it('takes the course by slug as the course route does, and tells the member where they stand', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'by-slug', title: 'By slug', seatLimit: 1 });
    const [ivy, jon] = await Promise.all(['ivy', 'jon'].map((name) => member(platform.kernel, acme.tenantId, name)));
    const standing = (auth: string) => platform.http.get('/api/v1/plugins/enrollment/courses/by-slug/enrollment').set('Authorization', auth);
    expect((await standing(ivy!.auth)).body).toEqual({ status: 'none' });
    const enrolled = await enroll('by-slug', ivy!.auth);
    expect(enrolled.status).toBe(200);
    expect(enrolled.body).toEqual({ status: 'enrolled', enrollmentId: expect.any(String) });
    expect((await standing(ivy!.auth)).body).toEqual(enrolled.body);
    expect((await enroll(course.id, jon!.auth)).body).toMatchObject({ status: 'waitlisted', position: 1 });
    expect((await standing(jon!.auth)).body).toEqual({ status: 'waitlisted', enrollmentId: expect.any(String), position: 1 });
    const missing = await enroll('no-such-course', ivy!.auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('OSV_ERR_NOT_FOUND');
    // Only a member has a place in a course: an API key is told what it needs.
    expect((await standing(acme.learner)).body.error.code).toBe('OSV_ERR_FORBIDDEN');
  });

  it('enrolls a member in a free course once, however often they ask', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'free', title: 'Free course' });
    const ada = await member(platform.kernel, acme.tenantId, 'ada');
    const first = await enroll(course.id, ada.auth, 'click-1');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'enrolled', enrollmentId: expect.any(String) });
    expect((await enroll(course.id, ada.auth, 'click-1')).body).toEqual(first.body);
    expect((await enroll(course.id, ada.auth, 'click-2')).body).toEqual(first.body);
    expect((await enroll(course.id, ada.auth)).body).toEqual(first.body);
    expect(await countOf(platform.kernel, "SELECT count(*) FROM enrollment_enrollments WHERE user_id = $1 AND status = 'enrolled'", [ada.userId])).toBe(1);
    const mine = await platform.http.get('/api/v1/plugins/enrollment/me/enrollments').set('Authorization', ada.auth);
    expect(mine.body.map((row: { enrollmentId: string }) => row.enrollmentId)).toEqual([first.body.enrollmentId]);
  });

  it('refuses an Idempotency-Key reused for another course, and a malformed one', async () => {
    const one = await createCourse(platform.http, acme.instructor, { slug: 'key-one', title: 'One' });
    const two = await createCourse(platform.http, acme.instructor, { slug: 'key-two', title: 'Two' });
    const bob = await member(platform.kernel, acme.tenantId, 'bob');
    expect((await enroll(one.id, bob.auth, 'same-key')).body.status).toBe('enrolled');
    const reused = await enroll(two.id, bob.auth, 'same-key');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('OSV_ERR_IDEMPOTENCY_KEY_REUSED');
    const malformed = await enroll(two.id, bob.auth, 'has spaces');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].field).toBe('headers.idempotency-key');
  });

  it('waitlists when the seats are gone and promotes the first in line when one frees', async () => {
    const { http, kernel } = platform;
    const course = await createCourse(http, acme.instructor, { slug: 'small', title: 'Small course', seatLimit: 1 });
    const [ann, ben, cat] = await Promise.all(['ann', 'ben', 'cat'].map((name) => member(kernel, acme.tenantId, name)));
    const annResult = await enroll(course.id, ann!.auth);
    expect(annResult.body.status).toBe('enrolled');
    expect((await enroll(course.id, ben!.auth)).body).toMatchObject({ status: 'waitlisted', position: 1 });
    expect((await enroll(course.id, cat!.auth)).body).toMatchObject({ status: 'waitlisted', position: 2 });

    const cancelled = await http.post(`/api/v1/plugins/enrollment/enrollments/${annResult.body.enrollmentId}/cancel`).set('Authorization', ann!.auth);
    expect(cancelled.body.status).toBe('cancelled');
    const roster = await http.get(`/api/v1/plugins/enrollment/courses/${course.id}/roster`).set('Authorization', acme.instructor);
    const byUser = Object.fromEntries(roster.body.map((row: { userId: string; status: string }) => [row.userId, row.status]));
    expect(byUser).toEqual({ [ann!.userId]: 'cancelled', [ben!.userId]: 'enrolled', [cat!.userId]: 'waitlisted' });
    expect((await enroll(course.id, cat!.auth)).body).toMatchObject({ status: 'waitlisted', position: 1 });
    // A higher seat limit promotes at once.
    await http.patch(`/api/v1/plugins/enrollment/courses/${course.id}`).set('Authorization', acme.instructor).send({ seatLimit: 2 });
    expect((await enroll(course.id, cat!.auth)).body.status).toBe('enrolled');
    const events = await countOf(kernel, "SELECT count(*) FROM outbox WHERE name = 'email:on:enrollment.promoted'");
    expect(events).toBe(2);
  });

  it('lets only the member or a roster manager cancel, and never lowers the limit under the seats taken', async () => {
    const { http, kernel } = platform;
    const course = await createCourse(http, acme.instructor, { slug: 'guarded', title: 'Guarded', seatLimit: 3 });
    const dan = await member(kernel, acme.tenantId, 'dan');
    const eve = await member(kernel, acme.tenantId, 'eve');
    const enrolled = await enroll(course.id, dan.auth);
    expect((await http.post(`/api/v1/plugins/enrollment/enrollments/${enrolled.body.enrollmentId}/cancel`).set('Authorization', eve.auth)).status).toBe(404);
    await enroll(course.id, eve.auth);
    const lower = await http.patch(`/api/v1/plugins/enrollment/courses/${course.id}`).set('Authorization', acme.instructor).send({ seatLimit: 1 });
    expect(lower.status).toBe(409);
    const byAdmin = await http.post(`/api/v1/plugins/enrollment/enrollments/${enrolled.body.enrollmentId}/cancel`).set('Authorization', acme.admin);
    expect(byAdmin.body).toMatchObject({ status: 'cancelled', cancelReason: 'cancelled' });
  });

  it('says clearly why it cannot enroll', async () => {
    const { http, kernel } = platform;
    const paid = await createCourse(http, acme.instructor, { slug: 'paid', title: 'Paid', priceCents: 1500 });
    const closed = await createCourse(http, acme.instructor, { slug: 'closed', title: 'Closed', enrollmentClosesAt: '2020-01-01T00:00:00Z' });
    const later = await createCourse(http, acme.instructor, { slug: 'later', title: 'Later', enrollmentOpensAt: '2999-01-01T00:00:00Z' });
    const draft = await createCourse(http, acme.instructor, { slug: 'draft', title: 'Draft', status: 'draft' });
    const fay = await member(kernel, acme.tenantId, 'fay');
    const noStripe = await enroll(paid.id, fay.auth, 'pay-1');
    expect(noStripe.status).toBe(409);
    expect(noStripe.body.error).toMatchObject({ code: 'OSV_ERR_PAYMENTS_NOT_CONFIGURED', message: expect.stringContaining('payments are not configured') });
    // Nothing half-done: no hold, no enrollment, and the key may be used again.
    expect(await countOf(kernel, 'SELECT count(*) FROM enrollment_holds WHERE user_id = $1', [fay.userId])).toBe(0);
    expect((await enroll(paid.id, fay.auth, 'pay-1')).body.error.code).toBe('OSV_ERR_PAYMENTS_NOT_CONFIGURED');
    expect((await enroll(closed.id, fay.auth)).body.error.code).toBe('OSV_ERR_ENROLLMENT_CLOSED');
    expect((await enroll(later.id, fay.auth)).body.error.code).toBe('OSV_ERR_ENROLLMENT_CLOSED');
    expect((await enroll(draft.id, fay.auth)).status).toBe(404);
    const apiKey = await enroll(closed.id, acme.learner);
    expect(apiKey.status).toBe(403);
    expect(apiKey.body.error.message).toMatch(/member's access token/);
  });

  it('tracks lesson progress of enrolled members only', async () => {
    const { http, kernel } = platform;
    const course = await createCourse(http, acme.instructor, { slug: 'lessons', title: 'Lessons' });
    const module = await http.post(`/api/v1/plugins/enrollment/courses/${course.id}/modules`).set('Authorization', acme.instructor).send({ title: 'M' });
    const lessons = [];
    for (const title of ['L1', 'L2', 'L3']) {
      lessons.push((await http.post(`/api/v1/plugins/enrollment/modules/${module.body.id}/lessons`).set('Authorization', acme.instructor).send({ title })).body.id);
    }
    const gus = await member(kernel, acme.tenantId, 'gus');
    const notYet = await http.post(`/api/v1/plugins/enrollment/lessons/${lessons[0]}/complete`).set('Authorization', gus.auth);
    expect(notYet.status).toBe(403);
    expect(notYet.body.error.code).toBe('OSV_ERR_NOT_ENROLLED');
    await enroll(course.id, gus.auth);
    await http.post(`/api/v1/plugins/enrollment/lessons/${lessons[0]}/complete`).set('Authorization', gus.auth).expect(200);
    const again = await http.post(`/api/v1/plugins/enrollment/lessons/${lessons[0]}/complete`).set('Authorization', gus.auth);
    expect(again.body).toMatchObject({ completedLessons: 1, totalLessons: 3, percent: 33 });
    await http.post(`/api/v1/plugins/enrollment/lessons/${lessons[2]}/complete`).set('Authorization', gus.auth);
    const progress = await http.get(`/api/v1/plugins/enrollment/courses/${course.id}/progress`).set('Authorization', gus.auth);
    expect(progress.body).toEqual({ courseId: course.id, completedLessonIds: [lessons[0], lessons[2]], completedLessons: 2, totalLessons: 3, percent: 66 });
  });

  it('enrolls and removes LTI roster members from lti.membership events, without taking catalog seats', async () => {
    const { http, kernel } = platform;
    const course = await createCourse(http, acme.instructor, { slug: 'lms-course', title: 'From the LMS', seatLimit: 1, ltiContextId: 'ctx-42', priceCents: 9900 });
    const learner = await member(kernel, acme.tenantId, 'lms-learner');
    const teacher = await member(kernel, acme.tenantId, 'lms-teacher');
    const emit = (event: string, payload: object) =>
      kernel.db.transaction((transaction) => kernel.events.emit(event, payload, { tenantId: acme.tenantId, transaction }));
    await emit('lti.membership.added', { tenantId: acme.tenantId, userId: learner.userId, contextId: 'ctx-42', role: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner' });
    await emit('lti.membership.added', { tenantId: acme.tenantId, userId: teacher.userId, contextId: 'ctx-42', role: 'Instructor' });
    await emit('lti.membership.added', { userId: 'not-a-uuid', contextId: 'ctx-42' });
    const roster = async () =>
      (await http.get(`/api/v1/plugins/enrollment/courses/${course.id}/roster`).set('Authorization', acme.instructor)).body as Array<{ userId: string; status: string; source: string }>;
    const enrolled = await eventually(async () => (await roster()).find((row) => row.userId === learner.userId));
    expect(enrolled).toMatchObject({ status: 'enrolled', source: 'lti' });
    expect((await roster()).some((row) => row.userId === teacher.userId)).toBe(false);
    const detail = await http.get(`/api/v1/plugins/enrollment/courses/${course.id}`).set('Authorization', acme.learner);
    expect(detail.body.seatsLeft).toBe(1);
    await emit('lti.membership.removed', { tenantId: acme.tenantId, userId: learner.userId, contextId: 'ctx-42' });
    await eventually(async () => (await roster()).find((row) => row.userId === learner.userId && row.status === 'cancelled'));
  });
});
