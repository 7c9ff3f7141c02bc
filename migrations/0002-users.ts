import { defineMigration } from '../core/db/migration-api.js';

export default defineMigration({
  name: '0002-users',
  async up({ sql }) {
    // End users (learners, instructors) known through an identity provider: an LTI platform, a
    // SAML IdP, or a website's backend. Admin-console accounts stay in admin_users.
    await sql(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      issuer text NOT NULL,
      subject text NOT NULL,
      email text,
      name text,
      role text NOT NULL DEFAULT 'learner' CHECK (role IN ('admin', 'instructor', 'learner')),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, issuer, subject)
    )`);
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS users');
  },
});
