import { z } from 'zod';
import type { PluginContext, Transaction } from '../../../core/plugin-api.js';
import { enrollmentSettings } from '../settings.js';
import { SeatLedger } from './seat-ledger.js';

/** The fields enrollment relies on in the payments plugin's events; anything else is ignored. */
const checkoutFacts = z.object({
  checkoutId: z.string(),
  holdId: z.uuid(),
  courseId: z.uuid(),
  userId: z.uuid(),
  locale: z.string().nullable().optional(),
});
const refundFacts = checkoutFacts.extend({ amountRefundedCents: z.number(), fullyRefunded: z.boolean() });

/**
 * What payments tell enrollment, each handled inside the job that delivers the event and under
 * the course lock, so a repeated or late event finds the state it already produced.
 */
export class PaymentOutcomes {
  constructor(private readonly ctx: PluginContext) {}

  /** The learner paid: the held seat becomes an enrollment (or, if the seat is gone, the money goes back). */
  async completed(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const facts = checkoutFacts.parse(payload);
    const ledger = new SeatLedger(this.ctx, tenantId, tx);
    const course = await ledger.lockCourse(facts.courseId);
    if (!course) return;
    const { offerHours } = enrollmentSettings(await this.ctx.settings(tenantId, tx));
    const existing = await ledger.activeEnrollment(course.id, facts.userId);
    const hold = await ledger.hold(facts.holdId);
    if (existing?.status === 'enrolled') {
      // Paid twice for one seat (or enrolled meanwhile another way): keep the seat, return this payment.
      if (existing.payment_ref !== facts.checkoutId) {
        if (hold?.status === 'active') await ledger.endHold(course, hold, 'released', offerHours);
        await ledger.refuseLatePayment(course, facts.userId, facts.checkoutId, facts.locale ?? null);
      }
      return;
    }
    if (hold?.status === 'active') {
      await ledger.convertHold(course, hold, facts.checkoutId, facts.locale ?? existing?.locale ?? null);
      return;
    }
    // The hold lapsed before the payment arrived: a free seat is still theirs, otherwise refund.
    if (ledger.hasFreeSeat(course)) {
      await ledger.enroll(course, facts.userId, { source: 'checkout', locale: facts.locale ?? null, paymentRef: facts.checkoutId, takeSeat: true });
    } else {
      await ledger.refuseLatePayment(course, facts.userId, facts.checkoutId, facts.locale ?? null);
    }
  }

  /** The Checkout Session closed unpaid: its seat is given back at once. */
  async expired(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const facts = checkoutFacts.parse(payload);
    const ledger = new SeatLedger(this.ctx, tenantId, tx);
    const course = await ledger.lockCourse(facts.courseId);
    const hold = course && (await ledger.hold(facts.holdId));
    // An offer outlives one abandoned session: the learner may still come back and pay.
    if (!course || hold?.status !== 'active' || hold.purpose === 'offer') return;
    await ledger.endHold(course, hold, 'released', enrollmentSettings(await this.ctx.settings(tenantId, tx)).offerHours);
  }

  /** A refund cancels the enrollment it paid for, as the tenant's policy says. */
  async refunded(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const facts = refundFacts.parse(payload);
    const settings = enrollmentSettings(await this.ctx.settings(tenantId, tx));
    const cancels =
      settings.refundPolicy === 'cancel-on-any-refund' || (settings.refundPolicy === 'cancel-on-full-refund' && facts.fullyRefunded);
    if (!cancels) return;
    const ledger = new SeatLedger(this.ctx, tenantId, tx);
    const course = await ledger.lockCourse(facts.courseId);
    if (!course) return;
    const enrollment = await ledger.enrollmentPaidBy(facts.checkoutId);
    // The completion's job may not have run yet (both are queued together): fail so the job retries
    // after it, rather than dropping the cancellation.
    if (!enrollment) throw new Error(`The payment of checkout ${facts.checkoutId} is not applied yet`);
    if (enrollment.status === 'enrolled') await ledger.cancel(course, enrollment, 'refunded', null, settings.offerHours);
  }

  /** The delayed job queued with each hold: gives the seat back if it was neither paid nor extended. */
  async holdDue(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const { holdId } = z.object({ holdId: z.uuid() }).parse(payload);
    const ledger = new SeatLedger(this.ctx, tenantId, tx);
    const found = await ledger.hold(holdId);
    const course = found && (await ledger.lockCourse(found.course_id));
    const hold = course && (await ledger.dueHold(holdId));
    if (!course || !hold) return;
    await ledger.endHold(course, hold, 'expired', enrollmentSettings(await this.ctx.settings(tenantId, tx)).offerHours);
  }
}
