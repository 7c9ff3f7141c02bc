import Stripe from 'stripe';
import { z } from 'zod';
import { OsvError, type PluginContext } from '../../../core/plugin-api.js';
import { TABLES } from '../rows.js';
import type { StripeAccounts } from '../stripe-accounts.js';
import { StripeEventEffects } from './event-effects.js';

/** How old a signed delivery may be; older ones may be replays (Stripe's default tolerance). */
const TOLERANCE_SECONDS = 300;

/**
 * `POST /api/v1/plugins/payments/webhooks/stripe?tenant=<slug>`: the endpoint each tenant registers
 * in its Stripe dashboard. The signature is checked over the exact bytes received, then the event
 * is recorded in the ledger and applied in one transaction: a repeat is answered 200 and ignored,
 * a failure rolls both back so Stripe's retry finds it new.
 */
export function webhookRoute(ctx: PluginContext, accounts: StripeAccounts): void {
  const effects = new StripeEventEffects(ctx);

  ctx.http.route({
    method: 'post',
    path: '/webhooks/stripe',
    summary: "Stripe webhook endpoint (register it in the tenant's Stripe account with ?tenant=<slug>)",
    access: 'public',
    rawBody: true,
    query: z.object({ tenant: z.string().min(1).max(100) }),
    response: z.object({ received: z.literal(true), duplicate: z.boolean(), outcome: z.string() }),
    handler: async ({ tenantId, rawBody, req }) => {
      if (!tenantId) throw new OsvError('OSV_ERR_UNAUTHENTICATED');
      const { webhookSecret } = await accounts.forTenant(tenantId);
      const signature = req.headers['stripe-signature'];
      let event: Stripe.Event;
      try {
        if (typeof signature !== 'string') throw new Error('no Stripe-Signature header');
        event = Stripe.webhooks.constructEvent(rawBody!, signature, webhookSecret, TOLERANCE_SECONDS);
      } catch (error) {
        ctx.log.warn({ tenantId, err: (error as Error).message }, 'stripe webhook refused');
        throw new OsvError('OSV_ERR_WEBHOOK_SIGNATURE');
      }
      return ctx.db.transaction(async (tx) => {
        const scope = ctx.db.forTenant(tenantId);
        const recorded = await scope.query<{ id: string }>(
          `INSERT INTO ${TABLES.events} (tenant_id, stripe_event_id, type, status, stripe_created_at)
           VALUES ($1, $2, $3, 'applied', to_timestamp($4)) ON CONFLICT (tenant_id, stripe_event_id) DO NOTHING RETURNING id`,
          [event.id, event.type, event.created],
          tx,
        );
        if (recorded.length === 0) return { received: true as const, duplicate: true, outcome: 'duplicate' };
        const outcome = await effects.apply(tenantId, event, tx);
        await scope.update(
          TABLES.events,
          { id: recorded[0]!.id },
          outcome.status === 'deferred'
            ? { status: 'deferred', payment_intent_id: outcome.paymentIntentId, payload: JSON.stringify(event) }
            : { status: outcome.status, applied_at: new Date() },
          tx,
        );
        return { received: true as const, duplicate: false, outcome: outcome.status };
      });
    },
  });
}
