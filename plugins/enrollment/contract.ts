/** What the enrollment plugin tells other plugins, as typed events (subscribers parse them tolerantly). */

export interface EnrollmentFacts {
  tenantId: string;
  enrollmentId: string;
  courseId: string;
  courseTitle: string;
  userId: string;
  /** `en`, `es`…, as the learner asked; null: the tenant's default. */
  locale: string | null;
}

export interface EnrollmentCreated extends EnrollmentFacts {
  source: 'self' | 'checkout' | 'waitlist' | 'lti';
}

export interface EnrollmentWaitlisted extends EnrollmentFacts {
  position: number;
}

export interface EnrollmentPromoted extends EnrollmentFacts {
  /** `enrolled`: the seat is theirs; `checkout`: a seat is held for them to pay until holdExpiresAt. */
  offer: 'enrolled' | 'checkout';
  holdExpiresAt: string | null;
}

export interface EnrollmentCancelled extends EnrollmentFacts {
  reason: 'refunded' | 'cancelled' | 'roster' | 'offer-expired' | 'no-seat';
  /** Set when a payment must be given back (paid after the held seat was gone). */
  refundPaymentRef: string | null;
}

export interface LessonCompleted {
  tenantId: string;
  userId: string;
  courseId: string;
  lessonId: string;
  completedLessons: number;
  totalLessons: number;
}

declare module '../../core/plugin-api.js' {
  interface EventMap {
    'enrollment.created': EnrollmentCreated;
    'enrollment.waitlisted': EnrollmentWaitlisted;
    'enrollment.promoted': EnrollmentPromoted;
    'enrollment.cancelled': EnrollmentCancelled;
    'enrollment.lesson.completed': LessonCompleted;
  }
}
