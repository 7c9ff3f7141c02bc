import type { CatalogCourse } from '../api-types.js';

export type EnrollAction = 'closed' | 'waitlist' | 'buy' | 'free';

/** What the enroll button offers for a course. */
export function enrollAction(course: CatalogCourse): EnrollAction {
  if (!course.enrollmentOpen) return 'closed';
  if (course.seatsLeft === 0) return 'waitlist';
  return course.paid ? 'buy' : 'free';
}
