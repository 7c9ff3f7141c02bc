import { defineMigration } from '../../../core/plugin-api.js';

export default defineMigration({
  name: '0001-payments',
  async up({ sql }) {
    await sql(`CREATE TABLE payments_checkouts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      session_id text NOT NULL,
      hold_id uuid NOT NULL,
      course_id uuid NOT NULL,
      course_title text NOT NULL,
      user_id uuid NOT NULL,
      amount_cents integer NOT NULL,
      currency text NOT NULL,
      locale text,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'expired')),
      payment_intent_id text,
      amount_refunded_cents integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      UNIQUE (tenant_id, session_id)
    )`);
    await sql('CREATE INDEX payments_checkouts_intent ON payments_checkouts (tenant_id, payment_intent_id) WHERE payment_intent_id IS NOT NULL');

    // The event ledger: one row per Stripe event id, written in the transaction that applies the
    // event, so a repeat finds it and does nothing. `deferred`: it arrived before what it refers to.
    await sql(`CREATE TABLE payments_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      stripe_event_id text NOT NULL,
      type text NOT NULL,
      status text NOT NULL CHECK (status IN ('applied', 'ignored', 'deferred')),
      payment_intent_id text,
      stripe_created_at timestamptz NOT NULL,
      payload jsonb,
      received_at timestamptz NOT NULL DEFAULT now(),
      applied_at timestamptz,
      UNIQUE (tenant_id, stripe_event_id)
    )`);
    await sql("CREATE INDEX payments_events_deferred ON payments_events (tenant_id, payment_intent_id) WHERE status = 'deferred'");

    await sql(`CREATE TABLE payments_refunds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      checkout_id uuid NOT NULL REFERENCES payments_checkouts ON DELETE CASCADE,
      stripe_refund_id text NOT NULL,
      amount_cents integer NOT NULL,
      reason text NOT NULL,
      status text NOT NULL,
      requested_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, stripe_refund_id)
    )`);
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS payments_refunds, payments_events, payments_checkouts');
  },
});
