/**
 * The wire contract between the widgets (browser) and the plugins that serve them. Types only:
 * both sides import this module; it imports nothing.
 */

export interface ApiError {
  error: { code: string; message: string; requestId?: string; details?: Array<{ field?: string; issue: string }> };
}

/** GET /api/v1/plugins/enrollment/courses?q=&limit=&cursor= (publishable key or access token). */
export interface CatalogPage {
  items: CatalogCourse[];
  nextCursor: string | null;
}

export interface CatalogCourse {
  id: string;
  slug: string;
  title: string;
  summary: string;
  /** Smallest currency unit; 0 for free courses. */
  priceCents: number;
  /** ISO 4217, lower case as Stripe uses it (`usd`, `eur`). */
  currency: string;
  /** Null when the course has no seat limit. */
  seatsLeft: number | null;
  enrollmentOpen: boolean;
  /** Whether enrolling goes through payment. */
  paid: boolean;
}

/** GET /api/v1/plugins/enrollment/courses/:idOrSlug */
export interface CourseDetail extends CatalogCourse {
  modules: Array<{ id: string; title: string; lessons: Array<{ id: string; title: string }> }>;
}

/** Body of POST …/courses/:id/enroll; every field optional. */
export interface EnrollRequest {
  /** Where Stripe sends the learner back; must be on an origin the tenant's keys allow. */
  successUrl?: string;
  cancelUrl?: string;
  /** Language of the checkout page and the emails (`en`, `es`). */
  locale?: string;
}

/**
 * POST /api/v1/plugins/enrollment/courses/:id/enroll (access token of a member; `Idempotency-Key`
 * header). `checkout`: the browser goes to `checkoutUrl` (Stripe-hosted Checkout).
 */
export type EnrollResult =
  | { status: 'enrolled'; enrollmentId: string }
  | { status: 'waitlisted'; enrollmentId: string; position: number }
  | { status: 'checkout'; checkoutUrl: string; holdExpiresAt: string };

/**
 * GET /api/v1/plugins/enrollment/courses/:idOrSlug/enrollment (access token of a member): where the
 * member stands in the course. `pending-payment`: a seat is held for them until `holdExpiresAt`
 * (a checkout they left, or a seat offered from the waitlist); enrolling again resumes the payment.
 */
export type MemberEnrollment =
  | { status: 'none' }
  | { status: 'enrolled'; enrollmentId: string }
  | { status: 'waitlisted'; enrollmentId: string; position: number }
  | { status: 'pending-payment'; holdExpiresAt: string };

/**
 * POST /api/v1/plugins/ai-tutor/ask (`Accept: text/event-stream`; access token of a member, or a
 * publishable key where the tenant allows anonymous questions). The answer streams as server-sent
 * events, in this order: any number of `token` and `citation` events, then exactly one `done` or
 * `error`. Each event's `data` is one line of JSON.
 */
export interface TutorAskRequest {
  courseId: string;
  question: string;
  /** Continues an earlier conversation (from its `done` event). */
  conversationId?: string;
}

/** `event: token` — the next piece of the answer's text (Markdown-free plain text). */
export interface TutorTokenEvent {
  text: string;
}

/**
 * `event: citation` — a passage the answer relies on. The answer text refers to it as `[n]`, where
 * n is `index` (1-based).
 */
export interface TutorCitationEvent {
  index: number;
  materialId: string;
  title: string;
  /** The headings above the passage, outermost first, joined with " › " (absent before any heading). */
  heading?: string;
  /** Page of the material, when it has pages. */
  page?: number;
  /** Where a learner can read the passage; absent when the material has no public address. */
  url?: string;
  snippet?: string;
}

/** `event: done` — the answer is complete. */
export interface TutorDoneEvent {
  conversationId: string;
  turnId: string;
  /** False when the course materials do not cover the question (the answer says so). */
  answered?: boolean;
  /** Who wrote the answer: a chat model, or passages quoted from the materials. */
  answerer?: 'model' | 'extractive' | 'none';
  /** The answer comes from a lower tier than configured (a model or store was down, or over budget). */
  degraded?: boolean;
  degradedReasons?: Array<'vectors' | 'model' | 'model-budget' | 'cache'>;
}

/** `event: error` — the answer stopped; the same body an error response would carry. */
export type TutorErrorEvent = ApiError['error'];

export type TutorStreamEvent =
  | { event: 'token'; data: TutorTokenEvent }
  | { event: 'citation'; data: TutorCitationEvent }
  | { event: 'done'; data: TutorDoneEvent }
  | { event: 'error'; data: TutorErrorEvent };
