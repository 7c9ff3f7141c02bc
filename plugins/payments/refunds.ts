import { z } from 'zod';
import { OsvError, type PluginContext, type Transaction } from '../../core/plugin-api.js';
import { type CheckoutRow, TABLES } from './rows.js';
import { providerFailure, type StripeAccounts } from './stripe-accounts.js';

export interface RefundRequest {
  checkoutId: string;
  /** Omitted: whatever is left of the payment. */
  amountCents?: number;
  reason: 'requested_by_customer' | 'duplicate' | 'fraudulent';
  requestedBy: string;
  /** Makes repeats of one refund request one refund at Stripe; without it every call is a new refund. */
  idempotencyKey?: string;
}

export interface RefundRecord {
  refundId: string;
  stripeRefundId: string;
  amountCents: number;
  status: string;
}

/**
 * Refunds go to Stripe; what they do to the enrollment follows from Stripe's `charge.refunded`
 * webhook, the one place a refund becomes a fact (whether made here or in the Stripe dashboard).
 */
export class Refunds {
  constructor(
    private readonly ctx: PluginContext,
    private readonly accounts: StripeAccounts,
  ) {}

  async refund(tenantId: string, request: RefundRequest, tx?: Transaction): Promise<RefundRecord> {
    const scope = this.ctx.db.forTenant(tenantId);
    const checkout = await scope.findOne<CheckoutRow>(TABLES.checkouts, { id: request.checkoutId }, tx);
    if (!checkout) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such checkout');
    if (checkout.status !== 'completed' || !checkout.payment_intent_id) throw new OsvError('OSV_ERR_REFUND_NOT_ALLOWED', 'Only a completed payment can be refunded');
    const left = checkout.amount_cents - checkout.amount_refunded_cents;
    const amount = request.amountCents ?? left;
    if (amount <= 0 || amount > left) throw new OsvError('OSV_ERR_REFUND_NOT_ALLOWED', `At most ${left} (smallest currency unit) is left to refund`);
    const { client } = await this.accounts.forTenant(tenantId, tx);
    let refund: Awaited<ReturnType<typeof client.refunds.create>>;
    try {
      refund = await client.refunds.create(
        { payment_intent: checkout.payment_intent_id, amount, reason: request.reason, metadata: { osv_checkout_id: checkout.id } },
        // Without a key of ours the SDK still gives its own retries of this one call a shared key.
        request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : undefined,
      );
    } catch (error) {
      throw providerFailure(this.ctx, error, 'refunds.create');
    }
    const [row] = await scope.query<{ id: string }>(
      `INSERT INTO ${TABLES.refunds} (tenant_id, checkout_id, stripe_refund_id, amount_cents, reason, status, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, stripe_refund_id) DO UPDATE SET requested_by = EXCLUDED.requested_by RETURNING id`,
      [checkout.id, refund.id, refund.amount, request.reason, refund.status ?? 'pending', request.requestedBy],
      tx,
    );
    return { refundId: row!.id, stripeRefundId: refund.id, amountCents: refund.amount, status: refund.status ?? 'pending' };
  }

  /** `enrollment.cancelled` with a payment to give back (paid after the seat was gone). */
  async onEnrollmentCancelled(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const parsed = z.looseObject({ refundPaymentRef: z.uuid().nullable().optional(), enrollmentId: z.string() }).safeParse(payload);
    const checkoutId = parsed.success ? parsed.data.refundPaymentRef : null;
    if (!checkoutId) return;
    const checkout = await this.ctx.db.forTenant(tenantId).findOne<CheckoutRow>(TABLES.checkouts, { id: checkoutId }, tx);
    if (!checkout || checkout.amount_refunded_cents >= checkout.amount_cents) return;
    await this.refund(
      tenantId,
      { checkoutId, reason: 'requested_by_customer', requestedBy: 'osv:no-seat', idempotencyKey: `osv-refund-${checkoutId}-no-seat` },
      tx,
    );
  }
}
