import type { EnrollResult } from '../../../widgets/src/api-types.js';
import { OsvError, type PluginContext, type ServiceMap, type Transaction } from '../../../core/plugin-api.js';
import { type CourseRow, enrollmentOpen, type HoldRow } from '../rows.js';
import { enrollmentSettings } from '../settings.js';
import { EnrollRequests, type RequestKey } from './idempotency.js';
import { type ReturnUrls, resolveReturnUrls } from './return-urls.js';
import { SeatLedger } from './seat-ledger.js';

/** Stripe closes the session this long before our hold lapses, so no payment lands on a freed seat. */
const SESSION_MARGIN_MINUTES = 2;
/** Stripe refuses a Checkout Session that closes sooner than this. */
const STRIPE_MIN_SESSION_MINUTES = 30;

type CheckoutService = ServiceMap['payments.checkout'];

export interface EnrollInput {
  tenantId: string;
  userId: string;
  courseId: string;
  idempotencyKey?: string;
  locale: string | null;
  successUrl?: string;
  cancelUrl?: string;
  /** The browser's Origin header: where to send the learner back when no URL was given. */
  origin?: string;
}

interface PendingCheckout {
  course: CourseRow;
  hold: HoldRow;
  /** Created by this request (and so released by it if the checkout cannot start). */
  fresh: boolean;
  payments: CheckoutService;
}

type FirstStep = { result: EnrollResult } | { checkout: PendingCheckout };

/**
 * Enrolling: one transaction under the course row lock decides enrolled / waitlisted / seat held
 * for checkout; a paid seat's Stripe session is created after that commit (never while holding the
 * lock), and a failure there gives the seat back.
 */
export class EnrollService {
  private readonly requests: EnrollRequests;

  constructor(private readonly ctx: PluginContext) {
    this.requests = new EnrollRequests(ctx);
  }

  async enroll(input: EnrollInput): Promise<EnrollResult> {
    const key: RequestKey | undefined = input.idempotencyKey
      ? { tenantId: input.tenantId, userId: input.userId, key: input.idempotencyKey, courseId: input.courseId }
      : undefined;
    // Validated before any seat is taken: a bad URL must not cost the learner a hold.
    const explicitUrls = input.successUrl || input.cancelUrl ? await resolveReturnUrls(this.ctx, input.tenantId, input) : undefined;

    const first = await this.ctx.db.transaction(async (tx): Promise<FirstStep> => {
      const replay = key ? await this.requests.claim(key, tx) : undefined;
      if (replay) return { result: replay };
      const step = await this.decide(new SeatLedger(this.ctx, input.tenantId, tx), input);
      if (key && 'result' in step) await this.requests.complete(key, step.result, tx);
      return step;
    });
    if ('result' in first) return first.result;

    try {
      const result = await this.startCheckout(input, first.checkout, explicitUrls);
      await this.ctx.db.transaction(async (tx) => {
        await new SeatLedger(this.ctx, input.tenantId, tx).recordCheckout(first.checkout.hold.id, { sessionId: result.sessionId, url: result.checkoutUrl });
        if (key) await this.requests.complete(key, result.response, tx);
      });
      return result.response;
    } catch (error) {
      if (first.checkout.fresh) await this.releaseHold(input.tenantId, first.checkout.hold.id);
      if (key) await this.requests.forget(key);
      throw error;
    }
  }

  private async decide(ledger: SeatLedger, input: EnrollInput): Promise<FirstStep> {
    const course = await ledger.lockCourse(input.courseId);
    if (course?.status !== 'published') throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course in the catalog');
    const existing = await ledger.activeEnrollment(course.id, input.userId);
    if (existing?.status === 'enrolled') return { result: { status: 'enrolled', enrollmentId: existing.id } };
    if (existing?.status === 'waitlisted' && !existing.offer_hold_id) {
      return { result: { status: 'waitlisted', enrollmentId: existing.id, position: await ledger.waitlistPosition(existing) } };
    }

    if (course.price_cents === 0) {
      if (!enrollmentOpen(course)) throw new OsvError('OSV_ERR_ENROLLMENT_CLOSED');
      if (!ledger.hasFreeSeat(course)) {
        const { enrollment, position } = await ledger.waitlist(course, input.userId, input.locale);
        return { result: { status: 'waitlisted', enrollmentId: enrollment.id, position } };
      }
      const enrollment = await ledger.enroll(course, input.userId, { source: 'self', locale: input.locale, takeSeat: true });
      return { result: { status: 'enrolled', enrollmentId: enrollment.id } };
    }

    // Every lookup here runs in this transaction: it holds the course lock, so it must never wait
    // for another pool connection (the requests queued behind the lock may hold them all).
    const payments = await this.ctx.services.get('payments.checkout', input.tenantId, ledger.tx);
    if (!payments || !(await payments.isConfigured(input.tenantId, ledger.tx))) {
      throw new OsvError('OSV_ERR_PAYMENTS_NOT_CONFIGURED', 'payments are not configured: this course is paid and the site cannot take payments yet');
    }
    const { holdMinutes } = await this.settings(input.tenantId, ledger.tx);
    // A hold still running (a double click, or a seat offered from the waitlist) is reused.
    const held = await ledger.activeHold(course.id, input.userId);
    if (held?.checkout_url && new Date(held.expires_at).getTime() > Date.now() + SESSION_MARGIN_MINUTES * 60_000) {
      return { result: { status: 'checkout', checkoutUrl: held.checkout_url, holdExpiresAt: new Date(held.expires_at).toISOString() } };
    }
    if (held) {
      const hold = await ledger.ensureHoldLasts(held, STRIPE_MIN_SESSION_MINUTES + SESSION_MARGIN_MINUTES + 1, holdMinutes);
      return { checkout: { course, hold, fresh: false, payments } };
    }
    if (!enrollmentOpen(course)) throw new OsvError('OSV_ERR_ENROLLMENT_CLOSED');
    if (!ledger.hasFreeSeat(course)) {
      const { enrollment, position } = await ledger.waitlist(course, input.userId, input.locale);
      return { result: { status: 'waitlisted', enrollmentId: enrollment.id, position } };
    }
    const hold = await ledger.createHold(course, input.userId, 'checkout', holdMinutes);
    return { checkout: { course, hold, fresh: true, payments } };
  }

  private async startCheckout(
    input: EnrollInput,
    pending: PendingCheckout,
    explicitUrls: ReturnUrls | undefined,
  ): Promise<{ response: EnrollResult; sessionId: string; checkoutUrl: string }> {
    const { course, hold } = pending;
    const expiresAt = new Date(hold.expires_at);
    const urls = explicitUrls ?? (await resolveReturnUrls(this.ctx, input.tenantId, { origin: input.origin }));
    const user = await this.ctx.platform.user(input.tenantId, input.userId);
    const session = await pending.payments.createCheckout(input.tenantId, {
      holdId: hold.id,
      courseId: course.id,
      courseTitle: course.title,
      userId: input.userId,
      amountCents: course.price_cents,
      currency: course.currency,
      customerEmail: user?.email ?? null,
      locale: input.locale,
      successUrl: urls.successUrl,
      cancelUrl: urls.cancelUrl,
      expiresAt: new Date(expiresAt.getTime() - SESSION_MARGIN_MINUTES * 60_000),
    });
    return {
      response: { status: 'checkout', checkoutUrl: session.url, holdExpiresAt: expiresAt.toISOString() },
      sessionId: session.sessionId,
      checkoutUrl: session.url,
    };
  }

  private async releaseHold(tenantId: string, holdId: string): Promise<void> {
    const { offerHours } = await this.settings(tenantId);
    await this.ctx.db.transaction(async (tx: Transaction) => {
      const ledger = new SeatLedger(this.ctx, tenantId, tx);
      const hold = await ledger.hold(holdId);
      const course = hold && (await ledger.lockCourse(hold.course_id));
      // Read again under the course lock: the hold may have ended meanwhile.
      const current = course && (await ledger.hold(holdId));
      if (course && current) await ledger.endHold(course, current, 'released', offerHours);
    });
  }

  private async settings(tenantId: string, transaction?: Transaction) {
    return enrollmentSettings(await this.ctx.settings(tenantId, transaction));
  }
}
