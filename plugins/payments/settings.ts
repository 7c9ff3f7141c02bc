import { z } from 'zod';

export const paymentsSettingsSchema = z.object({
  /** The tenant's own Stripe account: a secret (or restricted) key. */
  stripeSecretKey: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'must be a Stripe secret key (sk_test_… or sk_live_…)').optional(),
  /** The signing secret of the tenant's webhook endpoint in Stripe. */
  stripeWebhookSecret: z.string().regex(/^whsec_[A-Za-z0-9]+$/, 'must be a Stripe webhook signing secret (whsec_…)').optional(),
});

export type PaymentsSettings = z.infer<typeof paymentsSettingsSchema>;

export const SECRET_KEYS = ['stripeSecretKey', 'stripeWebhookSecret'] as const;
