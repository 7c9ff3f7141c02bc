import { z } from 'zod';
import { OsvError, type PluginContext } from '../../core/plugin-api.js';
import type { Refunds } from './refunds.js';
import { type CheckoutRow, TABLES } from './rows.js';

const checkoutSchema = z.object({
  checkoutId: z.uuid(),
  sessionId: z.string(),
  courseId: z.uuid(),
  userId: z.uuid(),
  amountCents: z.number(),
  currency: z.string(),
  status: z.string(),
  amountRefundedCents: z.number(),
  createdAt: z.string(),
});

function toCheckout(row: CheckoutRow): z.infer<typeof checkoutSchema> {
  return {
    checkoutId: row.id,
    sessionId: row.session_id,
    courseId: row.course_id,
    userId: row.user_id,
    amountCents: row.amount_cents,
    currency: row.currency,
    status: row.status,
    amountRefundedCents: row.amount_refunded_cents,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Admins see the tenant's checkouts and refund them. */
export function adminRoutes(ctx: PluginContext, refunds: Refunds): void {
  ctx.http.route({
    method: 'get',
    path: '/checkouts',
    summary: "The tenant's Stripe checkouts, newest first",
    access: 'payments:read',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    response: z.array(checkoutSchema),
    handler: async ({ query, principal }) => {
      const rows = await ctx.db.forTenant(principal!.tenantId).select<CheckoutRow>(TABLES.checkouts, {}, { orderBy: 'created_at', descending: true, limit: query.limit });
      return rows.map(toCheckout);
    },
  });

  ctx.http.route({
    method: 'post',
    path: '/checkouts/:id/refund',
    summary:
      'Refund a payment in full or in part; the enrollment follows per the tenant policy. Each request is a new refund: send an Idempotency-Key so that retrying a request never refunds twice',
    access: 'payments:refund',
    status: 202,
    params: z.object({ id: z.uuid() }),
    body: z.object({
      amountCents: z.number().int().positive().optional(),
      reason: z.enum(['requested_by_customer', 'duplicate', 'fraudulent']).default('requested_by_customer'),
    }),
    response: z.object({ refundId: z.uuid(), stripeRefundId: z.string(), amountCents: z.number(), status: z.string() }),
    handler: ({ params, body, principal, req }) => {
      const header = req.headers['idempotency-key'];
      if (header !== undefined && (typeof header !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(header))) {
        throw new OsvError('OSV_ERR_VALIDATION', 'headers.idempotency-key: must be 1-200 visible ASCII characters', [
          { field: 'headers.idempotency-key', issue: 'must be 1-200 visible ASCII characters' },
        ]);
      }
      const requestedBy = principal!.userId ?? principal!.apiKeyId ?? principal!.kind;
      // Two refunds of the same amount are two refunds, as at Stripe; only a repeated key is a repeat.
      const idempotencyKey = header === undefined ? undefined : `osv-refund-${params.id}-${header}`;
      return refunds.refund(principal!.tenantId, { checkoutId: params.id, amountCents: body.amountCents, reason: body.reason, requestedBy, idempotencyKey });
    },
  });
}
