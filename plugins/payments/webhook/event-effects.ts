import type Stripe from 'stripe';
import type { PluginContext, Transaction } from '../../../core/plugin-api.js';
import { checkoutFacts, METADATA_KEYS } from '../checkout-service.js';
import type { CheckoutCompleted, PaymentRefunded } from '../contract.js';
import { type CheckoutRow, TABLES } from '../rows.js';

export type Outcome = { status: 'applied' | 'ignored' } | { status: 'deferred'; paymentIntentId: string };

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : (value?.id ?? null));

/**
 * What each Stripe event does, inside the transaction that records it in the ledger. States only
 * move forward (open → completed or expired; refunded amounts only grow), so duplicates and
 * out-of-order deliveries change nothing twice; a refund that arrives before its payment waits
 * (`deferred`) and is applied when the payment lands.
 */
export class StripeEventEffects {
  constructor(private readonly ctx: PluginContext) {}

  async apply(tenantId: string, event: Stripe.Event, tx: Transaction): Promise<Outcome> {
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return this.paid(tenantId, event.data.object, tx);
      case 'checkout.session.expired':
        return this.expired(tenantId, event.data.object, tx);
      case 'charge.refunded':
        return this.refunded(tenantId, event.data.object, tx);
      default:
        return { status: 'ignored' };
    }
  }

  private async paid(tenantId: string, session: Stripe.Checkout.Session, tx: Transaction): Promise<Outcome> {
    // Delayed payment methods complete the session unpaid; async_payment_succeeded follows.
    if (session.payment_status !== 'paid') return { status: 'ignored' };
    const checkout = await this.lockCheckout(tenantId, session, tx);
    if (!checkout || checkout.status === 'completed') return { status: 'ignored' };
    const paymentIntentId = idOf(session.payment_intent) ?? session.id;
    const [completed] = await this.ctx.db
      .forTenant(tenantId)
      .update<CheckoutRow>(TABLES.checkouts, { id: checkout.id }, { status: 'completed', payment_intent_id: paymentIntentId, completed_at: new Date() }, tx);
    const event: CheckoutCompleted = { ...checkoutFacts(tenantId, completed!), paymentIntentId };
    await this.ctx.events.emit('payments.checkout.completed', event, { tenantId, transaction: tx });
    await this.applyDeferred(tenantId, paymentIntentId, tx);
    return { status: 'applied' };
  }

  private async expired(tenantId: string, session: Stripe.Checkout.Session, tx: Transaction): Promise<Outcome> {
    const checkout = await this.lockCheckout(tenantId, session, tx);
    if (checkout?.status !== 'open') return { status: 'ignored' };
    const [expired] = await this.ctx.db.forTenant(tenantId).update<CheckoutRow>(TABLES.checkouts, { id: checkout.id }, { status: 'expired' }, tx);
    await this.ctx.events.emit('payments.checkout.expired', checkoutFacts(tenantId, expired!), { tenantId, transaction: tx });
    return { status: 'applied' };
  }

  private async refunded(tenantId: string, charge: Stripe.Charge, tx: Transaction): Promise<Outcome> {
    const paymentIntentId = idOf(charge.payment_intent);
    if (!paymentIntentId) return { status: 'ignored' };
    const scope = this.ctx.db.forTenant(tenantId);
    const [checkout] = await scope.query<CheckoutRow>(
      `SELECT * FROM ${TABLES.checkouts} WHERE tenant_id = $1 AND payment_intent_id = $2 FOR UPDATE`,
      [paymentIntentId],
      tx,
    );
    if (!checkout) return { status: 'deferred', paymentIntentId };
    // amount_refunded is the charge's running total: an older event carries a smaller one.
    if (charge.amount_refunded <= checkout.amount_refunded_cents) return { status: 'ignored' };
    const [updated] = await scope.update<CheckoutRow>(TABLES.checkouts, { id: checkout.id }, { amount_refunded_cents: charge.amount_refunded }, tx);
    for (const refund of charge.refunds?.data ?? []) {
      await scope.query(
        `INSERT INTO ${TABLES.refunds} (tenant_id, checkout_id, stripe_refund_id, amount_cents, reason, status, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'stripe') ON CONFLICT (tenant_id, stripe_refund_id) DO UPDATE SET status = EXCLUDED.status`,
        [checkout.id, refund.id, refund.amount, refund.reason ?? 'unspecified', refund.status ?? 'succeeded'],
        tx,
      );
    }
    const event: PaymentRefunded = {
      ...checkoutFacts(tenantId, updated!),
      refundCents: charge.amount_refunded - checkout.amount_refunded_cents,
      amountRefundedCents: charge.amount_refunded,
      fullyRefunded: charge.refunded || charge.amount_refunded >= charge.amount,
    };
    await this.ctx.events.emit('payments.payment.refunded', event, { tenantId, transaction: tx });
    return { status: 'applied' };
  }

  /** Our row for the session, created from its metadata if the session was never recorded here. */
  private async lockCheckout(tenantId: string, session: Stripe.Checkout.Session, tx: Transaction): Promise<CheckoutRow | undefined> {
    const scope = this.ctx.db.forTenant(tenantId);
    const metadata = session.metadata ?? {};
    if (metadata[METADATA_KEYS.tenant] && metadata[METADATA_KEYS.tenant] !== tenantId) return undefined;
    if (metadata[METADATA_KEYS.hold] && metadata[METADATA_KEYS.course] && metadata[METADATA_KEYS.user]) {
      await scope.query(
        `INSERT INTO ${TABLES.checkouts} (tenant_id, session_id, hold_id, course_id, course_title, user_id, amount_cents, currency)
         VALUES ($1, $2, $3, $4, '', $5, $6, $7) ON CONFLICT (tenant_id, session_id) DO NOTHING`,
        [session.id, metadata[METADATA_KEYS.hold], metadata[METADATA_KEYS.course], metadata[METADATA_KEYS.user], session.amount_total ?? 0, session.currency ?? 'usd'],
        tx,
      );
    }
    const [row] = await scope.query<CheckoutRow>(`SELECT * FROM ${TABLES.checkouts} WHERE tenant_id = $1 AND session_id = $2 FOR UPDATE`, [session.id], tx);
    return row;
  }

  private async applyDeferred(tenantId: string, paymentIntentId: string, tx: Transaction): Promise<void> {
    const scope = this.ctx.db.forTenant(tenantId);
    const waiting = await scope.query<{ id: string; payload: Stripe.Event }>(
      `SELECT id, payload FROM ${TABLES.events} WHERE tenant_id = $1 AND payment_intent_id = $2 AND status = 'deferred'
       ORDER BY stripe_created_at, received_at FOR UPDATE`,
      [paymentIntentId],
      tx,
    );
    for (const row of waiting) {
      const outcome = await this.apply(tenantId, row.payload, tx);
      await scope.update(TABLES.events, { id: row.id }, { status: outcome.status, applied_at: new Date() }, tx);
    }
  }
}
