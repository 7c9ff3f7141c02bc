import { definePlugin, type OsvPlugin } from '../../core/plugin-api.js';
import { adminRoutes } from './admin-routes.js';
import { StripeCheckoutService } from './checkout-service.js';
import paymentsMigration from './migrations/0001-payments.js';
import { Refunds } from './refunds.js';
import { paymentsSettingsSchema, SECRET_KEYS } from './settings.js';
import { type StripeApiOptions, StripeAccounts } from './stripe-accounts.js';
import { webhookRoute } from './webhook/webhook-route.js';
import './contract.js';

export type { StripeApiOptions };

/**
 * Stripe payments per tenant (the tenant's own keys, stored as encrypted plugin secrets): hosted
 * Checkout for held seats, the signed webhook with its event ledger, and refunds.
 */
export function createPaymentsPlugin(options: { stripe?: StripeApiOptions } = {}): OsvPlugin {
  return definePlugin({
    manifest: {
      id: 'payments',
      name: 'Payments (Stripe)',
      description: 'Stripe-hosted Checkout for paid courses, webhooks with an event ledger, refunds.',
      version: '1.0.0',
      coreRange: '>=0.1.0 <1.0.0',
      capabilities: {
        'payments:read': { description: 'See checkouts and payments', defaultRoles: [], risk: ['payments', 'pii'] },
        'payments:refund': { description: 'Refund payments', defaultRoles: [], risk: ['payments'] },
      },
      settings: { schema: paymentsSettingsSchema, secretKeys: [...SECRET_KEYS] },
      events: {
        emits: ['payments.checkout.completed', 'payments.checkout.expired', 'payments.payment.refunded'],
        listens: ['enrollment.cancelled'],
      },
    },
    migrations: [paymentsMigration],

    register(ctx) {
      const accounts = new StripeAccounts(ctx, options.stripe ?? {});
      const refunds = new Refunds(ctx, accounts);
      ctx.services.provide('payments.checkout', new StripeCheckoutService(ctx, accounts));
      webhookRoute(ctx, accounts);
      adminRoutes(ctx, refunds);
      ctx.events.onAsync('enrollment.cancelled', (payload, job, tx) => refunds.onEnrollmentCancelled(job.tenantId!, payload, tx));
    },
  });
}

export default createPaymentsPlugin();
