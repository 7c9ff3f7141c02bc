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

/**
 * POST /api/v1/plugins/enrollment/courses/:id/enroll (access token of a member; `Idempotency-Key`
 * header). `checkout`: the browser goes to `checkoutUrl` (Stripe-hosted Checkout).
 */
export type EnrollResult =
  | { status: 'enrolled'; enrollmentId: string }
  | { status: 'waitlisted'; enrollmentId: string; position: number }
  | { status: 'checkout'; checkoutUrl: string; holdExpiresAt: string };
