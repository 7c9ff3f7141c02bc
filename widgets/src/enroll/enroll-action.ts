import type { CatalogCourse, MemberEnrollment } from '../api-types.js';

export type EnrollAction = 'closed' | 'waitlist' | 'buy' | 'free' | 'pay' | 'leave' | 'enrolled';

/** What the enroll button offers for a course, given where the member already stands in it. */
export function enrollAction(course: CatalogCourse, standing?: MemberEnrollment): EnrollAction {
  if (standing?.status === 'enrolled') return 'enrolled';
  if (standing?.status === 'pending-payment') return 'pay';
  if (standing?.status === 'waitlisted') return 'leave';
  if (!course.enrollmentOpen) return 'closed';
  if (course.seatsLeft === 0) return 'waitlist';
  return course.paid ? 'buy' : 'free';
}
