export interface CheckoutRow {
  id: string;
  session_id: string;
  hold_id: string;
  course_id: string;
  course_title: string;
  user_id: string;
  amount_cents: number;
  currency: string;
  locale: string | null;
  status: 'open' | 'completed' | 'expired';
  payment_intent_id: string | null;
  amount_refunded_cents: number;
  created_at: Date;
  completed_at: Date | null;
}

export const TABLES = {
  checkouts: 'payments_checkouts',
  events: 'payments_events',
  refunds: 'payments_refunds',
} as const;
