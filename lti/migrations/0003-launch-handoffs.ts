import { defineMigration } from '../../core/db/migration-api.js';

export default defineMigration({
  name: '0003-launch-handoffs',
  async up({ sql }) {
    // Validated launches waiting for a window of their own (the iframe lost the state cookie):
    // only the token's hash, single use, minutes at most.
    await sql(`CREATE TABLE lti_launch_handoffs (
      token_hash text PRIMARY KEY,
      registration_id uuid NOT NULL REFERENCES lti_registrations ON DELETE CASCADE,
      state text NOT NULL,
      claims jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`);
    await sql('CREATE INDEX lti_launch_handoffs_expiry ON lti_launch_handoffs (expires_at)');
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS lti_launch_handoffs');
  },
});
