import type { PluginContext, Transaction } from '../../../core/plugin-api.js';
import type { EnrollmentCancelled, EnrollmentCreated, EnrollmentFacts, EnrollmentPromoted, EnrollmentWaitlisted } from '../contract.js';
import { type CourseRow, type EnrollmentRow, type HoldRow, TABLES } from '../rows.js';

export const EXPIRE_HOLD_JOB = 'expire-hold';

/**
 * Seats, holds, enrollments and the waitlist of one tenant inside one transaction. Every method
 * that changes seats expects the course row locked by `lockCourse` first: that lock is what makes
 * "is there a free seat?" and "take it" one step, so concurrent requests can never oversell.
 */
export class SeatLedger {
  constructor(
    private readonly ctx: PluginContext,
    readonly tenantId: string,
    readonly tx: Transaction,
  ) {}

  private get scope() {
    return this.ctx.db.forTenant(this.tenantId);
  }

  async lockCourse(courseId: string): Promise<CourseRow | undefined> {
    const [course] = await this.scope.query<CourseRow>(`SELECT * FROM ${TABLES.courses} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [courseId], this.tx);
    return course;
  }

  hasFreeSeat(course: CourseRow): boolean {
    return course.seat_limit === null || course.seats_taken < course.seat_limit;
  }

  async activeEnrollment(courseId: string, userId: string): Promise<EnrollmentRow | undefined> {
    const [row] = await this.scope.query<EnrollmentRow>(
      `SELECT * FROM ${TABLES.enrollments} WHERE tenant_id = $1 AND course_id = $2 AND user_id = $3 AND status IN ('enrolled', 'waitlisted')`,
      [courseId, userId],
      this.tx,
    );
    return row;
  }

  async activeHold(courseId: string, userId: string): Promise<HoldRow | undefined> {
    const [row] = await this.scope.query<HoldRow>(
      `SELECT * FROM ${TABLES.holds} WHERE tenant_id = $1 AND course_id = $2 AND user_id = $3 AND status = 'active'`,
      [courseId, userId],
      this.tx,
    );
    return row;
  }

  async hold(holdId: string): Promise<HoldRow | undefined> {
    return this.scope.findOne<HoldRow>(TABLES.holds, { id: holdId }, this.tx);
  }

  /** The hold if it is active and its time is up by the database's clock (the one its job was timed by). */
  async dueHold(holdId: string): Promise<HoldRow | undefined> {
    const [row] = await this.scope.query<HoldRow>(
      `SELECT * FROM ${TABLES.holds} WHERE tenant_id = $1 AND id = $2 AND status = 'active' AND expires_at <= now()`,
      [holdId],
      this.tx,
    );
    return row;
  }

  async enrollmentPaidBy(paymentRef: string): Promise<EnrollmentRow | undefined> {
    const [row] = await this.scope.query<EnrollmentRow>(
      `SELECT * FROM ${TABLES.enrollments} WHERE tenant_id = $1 AND payment_ref = $2 ORDER BY created_at DESC LIMIT 1`,
      [paymentRef],
      this.tx,
    );
    return row;
  }

  /** 1-based place in the queue, counting only those still waiting for an offer. */
  async waitlistPosition(enrollment: EnrollmentRow): Promise<number> {
    const [row] = await this.scope.query<{ position: string }>(
      `SELECT count(*) AS position FROM ${TABLES.enrollments}
       WHERE tenant_id = $1 AND course_id = $2 AND status = 'waitlisted' AND offer_hold_id IS NULL AND seq <= $3`,
      [enrollment.course_id, enrollment.seq],
      this.tx,
    );
    return Number(row?.position ?? 1);
  }

  /** Enrolls the user, turning their waitlist entry into the enrollment when they had one. */
  async enroll(
    course: CourseRow,
    userId: string,
    options: { source: EnrollmentRow['source']; locale: string | null; paymentRef?: string | null; takeSeat: boolean; countsSeat?: boolean },
  ): Promise<EnrollmentRow> {
    if (options.takeSeat) await this.changeSeats(course, +1);
    const countsSeat = options.countsSeat ?? true;
    const existing = await this.activeEnrollment(course.id, userId);
    const values = { status: 'enrolled', enrolled_at: new Date(), counts_seat: countsSeat, payment_ref: options.paymentRef ?? null, offer_hold_id: null };
    const enrollment = existing
      ? (await this.scope.update<EnrollmentRow>(TABLES.enrollments, { id: existing.id }, { ...values, source: options.source, locale: existing.locale ?? options.locale }, this.tx))[0]!
      : await this.scope.insert<EnrollmentRow>(TABLES.enrollments, { ...values, course_id: course.id, user_id: userId, source: options.source, locale: options.locale }, this.tx);
    await this.emit('enrollment.created', { ...this.facts(course, enrollment), source: options.source } satisfies EnrollmentCreated);
    return enrollment;
  }

  async waitlist(course: CourseRow, userId: string, locale: string | null): Promise<{ enrollment: EnrollmentRow; position: number }> {
    const enrollment = await this.scope.insert<EnrollmentRow>(
      TABLES.enrollments,
      { course_id: course.id, user_id: userId, status: 'waitlisted', source: 'self', locale },
      this.tx,
    );
    const position = await this.waitlistPosition(enrollment);
    await this.emit('enrollment.waitlisted', { ...this.facts(course, enrollment), position } satisfies EnrollmentWaitlisted);
    return { enrollment, position };
  }

  /** Takes a seat for the user until `minutes` from now; a delayed job gives it back if still unpaid. */
  async createHold(course: CourseRow, userId: string, purpose: HoldRow['purpose'], minutes: number): Promise<HoldRow> {
    await this.changeSeats(course, +1);
    const [hold] = await this.scope.query<HoldRow>(
      `INSERT INTO ${TABLES.holds} (tenant_id, course_id, user_id, purpose, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5)) RETURNING *`,
      [course.id, userId, purpose, minutes],
      this.tx,
    );
    await this.ctx.jobs.enqueue(EXPIRE_HOLD_JOB, { holdId: hold!.id }, { tenantId: this.tenantId, transaction: this.tx, delayMs: minutes * 60_000 });
    return hold!;
  }

  /**
   * Pushes a hold's end out to `minutes` from now when fewer than `atLeastMinutes` are left (a
   * Checkout Session needs time); the expiry job re-checks the time, and a new one is queued.
   */
  async ensureHoldLasts(hold: HoldRow, atLeastMinutes: number, minutes: number): Promise<HoldRow> {
    if (new Date(hold.expires_at).getTime() >= Date.now() + atLeastMinutes * 60_000) return hold;
    const length = Math.max(minutes, atLeastMinutes);
    const [extended] = await this.scope.query<HoldRow>(
      `UPDATE ${TABLES.holds} SET expires_at = now() + make_interval(mins => $3) WHERE tenant_id = $1 AND id = $2 RETURNING *`,
      [hold.id, length],
      this.tx,
    );
    await this.ctx.jobs.enqueue(EXPIRE_HOLD_JOB, { holdId: hold.id }, { tenantId: this.tenantId, transaction: this.tx, delayMs: length * 60_000 });
    return extended!;
  }

  async recordCheckout(holdId: string, session: { sessionId: string; url: string }): Promise<void> {
    await this.scope.update(TABLES.holds, { id: holdId }, { checkout_session_id: session.sessionId, checkout_url: session.url }, this.tx);
  }

  /** The hold's seat becomes the enrollment's: the seat count does not change. */
  async convertHold(course: CourseRow, hold: HoldRow, paymentRef: string, locale: string | null): Promise<EnrollmentRow> {
    await this.scope.update(TABLES.holds, { id: hold.id }, { status: 'converted', ended_at: new Date() }, this.tx);
    return this.enroll(course, hold.user_id, { source: 'checkout', locale, paymentRef, takeSeat: false });
  }

  /**
   * Gives an active hold's seat back (`expired` or `released`) and offers it on. An unanswered
   * offer also ends its waitlist entry, so the queue moves past that learner.
   */
  async endHold(course: CourseRow, hold: HoldRow, status: 'expired' | 'released', offerHours: number): Promise<void> {
    if (hold.status !== 'active') return;
    await this.scope.update(TABLES.holds, { id: hold.id }, { status, ended_at: new Date() }, this.tx);
    await this.changeSeats(course, -1);
    if (hold.purpose === 'offer') {
      const [offered] = await this.scope.query<EnrollmentRow>(
        `SELECT * FROM ${TABLES.enrollments} WHERE tenant_id = $1 AND offer_hold_id = $2 AND status = 'waitlisted'`,
        [hold.id],
        this.tx,
      );
      if (offered) await this.cancel(course, offered, 'offer-expired', null, offerHours, { promote: false });
    }
    await this.promote(course, offerHours);
  }

  /** A payment with no seat left for it: recorded as a cancelled enrollment whose payment goes back. */
  async refuseLatePayment(course: CourseRow, userId: string, paymentRef: string, locale: string | null): Promise<void> {
    const enrollment = await this.scope.insert<EnrollmentRow>(
      TABLES.enrollments,
      { course_id: course.id, user_id: userId, status: 'cancelled', source: 'checkout', counts_seat: false, locale, payment_ref: paymentRef, cancel_reason: 'no-seat', cancelled_at: new Date() },
      this.tx,
    );
    await this.emit('enrollment.cancelled', { ...this.facts(course, enrollment), reason: 'no-seat', refundPaymentRef: paymentRef } satisfies EnrollmentCancelled);
  }

  async cancel(
    course: CourseRow,
    enrollment: EnrollmentRow,
    reason: EnrollmentCancelled['reason'],
    refundPaymentRef: string | null,
    offerHours: number,
    options: { promote: boolean } = { promote: true },
  ): Promise<void> {
    if (enrollment.status === 'cancelled') return;
    await this.scope.update(TABLES.enrollments, { id: enrollment.id }, { status: 'cancelled', cancel_reason: reason, cancelled_at: new Date() }, this.tx);
    if (enrollment.status === 'enrolled' && enrollment.counts_seat) await this.changeSeats(course, -1);
    if (enrollment.status === 'waitlisted' && enrollment.offer_hold_id) {
      const hold = await this.hold(enrollment.offer_hold_id);
      if (hold?.status === 'active') {
        await this.scope.update(TABLES.holds, { id: hold.id }, { status: 'released', ended_at: new Date() }, this.tx);
        await this.changeSeats(course, -1);
      }
    }
    await this.emit('enrollment.cancelled', { ...this.facts(course, enrollment), reason, refundPaymentRef } satisfies EnrollmentCancelled);
    if (options.promote) await this.promote(course, offerHours);
  }

  /**
   * Fills free seats from the waitlist, first come first served: a free course enrolls the learner,
   * a paid one holds the seat for them to pay within `offerHours`.
   */
  async promote(course: CourseRow, offerHours: number): Promise<void> {
    while (this.hasFreeSeat(course)) {
      const [next] = await this.scope.query<EnrollmentRow>(
        `SELECT * FROM ${TABLES.enrollments} WHERE tenant_id = $1 AND course_id = $2 AND status = 'waitlisted' AND offer_hold_id IS NULL
         ORDER BY seq LIMIT 1`,
        [course.id],
        this.tx,
      );
      if (!next) return;
      if (course.price_cents === 0) {
        const enrolled = await this.enroll(course, next.user_id, { source: 'waitlist', locale: next.locale, takeSeat: true });
        await this.emit('enrollment.promoted', { ...this.facts(course, enrolled), offer: 'enrolled', holdExpiresAt: null } satisfies EnrollmentPromoted);
      } else {
        const hold = await this.createHold(course, next.user_id, 'offer', offerHours * 60);
        await this.scope.update(TABLES.enrollments, { id: next.id }, { offer_hold_id: hold.id }, this.tx);
        await this.emit('enrollment.promoted', {
          ...this.facts(course, next),
          offer: 'checkout',
          holdExpiresAt: new Date(hold.expires_at).toISOString(),
        } satisfies EnrollmentPromoted);
      }
    }
  }

  private async changeSeats(course: CourseRow, delta: 1 | -1): Promise<void> {
    await this.scope.query(`UPDATE ${TABLES.courses} SET seats_taken = seats_taken + $3 WHERE tenant_id = $1 AND id = $2`, [course.id, delta], this.tx);
    course.seats_taken += delta;
  }

  private facts(course: CourseRow, enrollment: EnrollmentRow): EnrollmentFacts {
    return {
      tenantId: this.tenantId,
      enrollmentId: enrollment.id,
      courseId: course.id,
      courseTitle: course.title,
      userId: enrollment.user_id,
      locale: enrollment.locale,
    };
  }

  private emit(event: string, payload: unknown): Promise<void> {
    return this.ctx.events.emit(event, payload, { tenantId: this.tenantId, transaction: this.tx });
  }
}
