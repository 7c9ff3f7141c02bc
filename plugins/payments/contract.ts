import type { Transaction } from '../../core/plugin-api.js';

/** What the payments plugin publishes: the checkout service and its events. */

export interface CheckoutRequest {
  /** The seat hold the payment is for: also the idempotency key of the session at Stripe. */
  holdId: string;
  courseId: string;
  courseTitle: string;
  userId: string;
  /** From the catalog, under the course lock: never from the browser. */
  amountCents: number;
  currency: string;
  customerEmail: string | null;
  locale: string | null;
  successUrl: string;
  cancelUrl: string;
  /** The Checkout Session closes at this time (Stripe allows 30 minutes to 24 hours from now). */
  expiresAt: Date;
}

export interface CheckoutSession {
  checkoutId: string;
  sessionId: string;
  url: string;
}

export interface CheckoutService {
  /** Whether the tenant has Stripe keys; a paid course cannot be sold otherwise. Pass the transaction you are in. */
  isConfigured(tenantId: string, transaction?: Transaction): Promise<boolean>;
  /** Creates (or, for the same hold, returns again) a Stripe-hosted Checkout Session. */
  createCheckout(tenantId: string, request: CheckoutRequest): Promise<CheckoutSession>;
}

export interface CheckoutFacts {
  tenantId: string;
  checkoutId: string;
  holdId: string;
  courseId: string;
  courseTitle: string;
  userId: string;
  amountCents: number;
  currency: string;
  locale: string | null;
}

export interface CheckoutCompleted extends CheckoutFacts {
  paymentIntentId: string;
}

export type CheckoutExpired = CheckoutFacts;

export interface PaymentRefunded extends CheckoutFacts {
  /** What this refund gave back (the refunds Stripe reported since the previous event, together). */
  refundCents: number;
  /** Everything refunded on the payment so far, this refund included. */
  amountRefundedCents: number;
  fullyRefunded: boolean;
}

declare module '../../core/plugin-api.js' {
  interface ServiceMap {
    'payments.checkout': CheckoutService;
  }
  interface EventMap {
    'payments.checkout.completed': CheckoutCompleted;
    'payments.checkout.expired': CheckoutExpired;
    'payments.payment.refunded': PaymentRefunded;
  }
}
