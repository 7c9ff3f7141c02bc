/** Row shapes of the enrollment tables, as PostgreSQL returns them. */

export interface CourseRow {
  id: string;
  tenant_id: string;
  slug: string;
  title: string;
  summary: string;
  description: string;
  status: 'draft' | 'published';
  price_cents: number;
  currency: string;
  seat_limit: number | null;
  seats_taken: number;
  enrollment_opens_at: Date | null;
  enrollment_closes_at: Date | null;
  lti_context_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface EnrollmentRow {
  id: string;
  course_id: string;
  user_id: string;
  status: 'enrolled' | 'waitlisted' | 'cancelled';
  source: 'self' | 'checkout' | 'waitlist' | 'lti';
  counts_seat: boolean;
  locale: string | null;
  payment_ref: string | null;
  offer_hold_id: string | null;
  cancel_reason: string | null;
  seq: string;
  created_at: Date;
  enrolled_at: Date | null;
  cancelled_at: Date | null;
}

export interface HoldRow {
  id: string;
  course_id: string;
  user_id: string;
  status: 'active' | 'converted' | 'expired' | 'released';
  purpose: 'checkout' | 'offer';
  expires_at: Date;
  checkout_session_id: string | null;
  checkout_url: string | null;
}

export const TABLES = {
  courses: 'enrollment_courses',
  modules: 'enrollment_modules',
  lessons: 'enrollment_lessons',
  holds: 'enrollment_holds',
  enrollments: 'enrollment_enrollments',
  requests: 'enrollment_requests',
  progress: 'enrollment_progress',
} as const;

/** Whether the course takes enrollments now (published and inside its window). */
export function enrollmentOpen(course: Pick<CourseRow, 'status' | 'enrollment_opens_at' | 'enrollment_closes_at'>, now = new Date()): boolean {
  if (course.status !== 'published') return false;
  if (course.enrollment_opens_at && new Date(course.enrollment_opens_at) > now) return false;
  if (course.enrollment_closes_at && new Date(course.enrollment_closes_at) <= now) return false;
  return true;
}
