import type { PluginContext, Transaction } from '../../core/plugin-api.js';
import type { CheckoutFacts, CheckoutRequest, CheckoutService, CheckoutSession } from './contract.js';
import { type CheckoutRow, TABLES } from './rows.js';
import { providerFailure, type StripeAccounts } from './stripe-accounts.js';

/** Metadata every session carries, so a webhook can be tied back even without our row. */
export const METADATA_KEYS = { tenant: 'osv_tenant_id', hold: 'osv_hold_id', course: 'osv_course_id', user: 'osv_user_id' } as const;

const STRIPE_LOCALES = new Set(['en', 'es']);

export function checkoutFacts(tenantId: string, row: CheckoutRow): CheckoutFacts {
  return {
    tenantId,
    checkoutId: row.id,
    holdId: row.hold_id,
    courseId: row.course_id,
    courseTitle: row.course_title,
    userId: row.user_id,
    amountCents: row.amount_cents,
    currency: row.currency,
    locale: row.locale,
  };
}

/** `payments.checkout`: Stripe-hosted Checkout Sessions for seats the enrollment plugin holds. */
export class StripeCheckoutService implements CheckoutService {
  constructor(
    private readonly ctx: PluginContext,
    private readonly accounts: StripeAccounts,
  ) {}

  isConfigured(tenantId: string, transaction?: Transaction): Promise<boolean> {
    return this.accounts.isConfigured(tenantId, transaction);
  }

  async createCheckout(tenantId: string, request: CheckoutRequest): Promise<CheckoutSession> {
    const { client } = await this.accounts.forTenant(tenantId);
    const metadata = {
      [METADATA_KEYS.tenant]: tenantId,
      [METADATA_KEYS.hold]: request.holdId,
      [METADATA_KEYS.course]: request.courseId,
      [METADATA_KEYS.user]: request.userId,
    };
    const expiresAt = Math.floor(request.expiresAt.getTime() / 1000);
    let session: Awaited<ReturnType<typeof client.checkout.sessions.create>>;
    try {
      session = await client.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [{ quantity: 1, price_data: { currency: request.currency, unit_amount: request.amountCents, product_data: { name: request.courseTitle } } }],
          client_reference_id: request.holdId,
          metadata,
          payment_intent_data: { metadata },
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          expires_at: expiresAt,
          ...(request.customerEmail ? { customer_email: request.customerEmail } : {}),
          locale: request.locale && STRIPE_LOCALES.has(request.locale) ? (request.locale as 'en' | 'es') : 'auto',
        },
        // A retry for the same hold and deadline gets the same session back, never a second one.
        { idempotencyKey: `osv-checkout-${request.holdId}-${expiresAt}` },
      );
    } catch (error) {
      throw providerFailure(this.ctx, error, 'checkout.sessions.create');
    }
    if (!session.url) throw providerFailure(this.ctx, new Error('Stripe returned a session without a URL'), 'checkout.sessions.create');
    const [row] = await this.ctx.db.forTenant(tenantId).query<{ id: string }>(
      `INSERT INTO ${TABLES.checkouts} (tenant_id, session_id, hold_id, course_id, course_title, user_id, amount_cents, currency, locale)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, session_id) DO UPDATE SET session_id = EXCLUDED.session_id RETURNING id`,
      [session.id, request.holdId, request.courseId, request.courseTitle, request.userId, request.amountCents, request.currency, request.locale],
    );
    return { checkoutId: row!.id, sessionId: session.id, url: session.url };
  }
}
