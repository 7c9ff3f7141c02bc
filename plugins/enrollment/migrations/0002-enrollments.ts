import { defineMigration } from '../../../core/plugin-api.js';

export default defineMigration({
  name: '0002-enrollments',
  async up({ sql }) {
    // A seat is counted in enrollment_courses.seats_taken while an active hold or an enrollment with
    // counts_seat holds it; every change to either happens under the course's row lock.
    await sql(`CREATE TABLE enrollment_holds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id uuid NOT NULL REFERENCES enrollment_courses ON DELETE CASCADE,
      user_id uuid NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'converted', 'expired', 'released')),
      purpose text NOT NULL DEFAULT 'checkout' CHECK (purpose IN ('checkout', 'offer')),
      expires_at timestamptz NOT NULL,
      checkout_session_id text,
      checkout_url text,
      created_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz
    )`);
    await sql("CREATE UNIQUE INDEX enrollment_holds_one_active ON enrollment_holds (tenant_id, course_id, user_id) WHERE status = 'active'");

    // seq orders the waitlist (first come, first promoted).
    await sql(`CREATE TABLE enrollment_enrollments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id uuid NOT NULL REFERENCES enrollment_courses ON DELETE CASCADE,
      user_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled')),
      source text NOT NULL CHECK (source IN ('self', 'checkout', 'waitlist', 'lti')),
      counts_seat boolean NOT NULL DEFAULT true,
      locale text,
      payment_ref text,
      offer_hold_id uuid REFERENCES enrollment_holds,
      cancel_reason text,
      seq bigserial NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      enrolled_at timestamptz,
      cancelled_at timestamptz
    )`);
    await sql(`CREATE UNIQUE INDEX enrollment_enrollments_one_active ON enrollment_enrollments (tenant_id, course_id, user_id)
      WHERE status IN ('enrolled', 'waitlisted')`);
    await sql("CREATE INDEX enrollment_enrollments_waitlist ON enrollment_enrollments (tenant_id, course_id, seq) WHERE status = 'waitlisted'");
    await sql('CREATE INDEX enrollment_enrollments_user ON enrollment_enrollments (tenant_id, user_id)');
    await sql('CREATE INDEX enrollment_enrollments_payment ON enrollment_enrollments (tenant_id, payment_ref) WHERE payment_ref IS NOT NULL');

    // One row per (user, Idempotency-Key): the first request's outcome, replayed to its repeats.
    await sql(`CREATE TABLE enrollment_requests (
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      user_id uuid NOT NULL,
      idempotency_key text NOT NULL,
      course_id uuid NOT NULL,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_id, idempotency_key)
    )`);

    await sql(`CREATE TABLE enrollment_progress (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      user_id uuid NOT NULL,
      course_id uuid NOT NULL REFERENCES enrollment_courses ON DELETE CASCADE,
      lesson_id uuid NOT NULL REFERENCES enrollment_lessons ON DELETE CASCADE,
      completed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, user_id, lesson_id)
    )`);
    await sql('CREATE INDEX enrollment_progress_course ON enrollment_progress (tenant_id, user_id, course_id)');
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS enrollment_progress, enrollment_requests, enrollment_enrollments, enrollment_holds');
  },
});
