import { defineMigration } from '../core/db/migration-api.js';

export default defineMigration({
  name: '0003-publishable-keys',
  async up({ sql }) {
    // Publishable keys are public by design (they sit in a site's HTML), so the key itself is stored.
    await sql(`CREATE TABLE publishable_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      key text NOT NULL UNIQUE,
      name text NOT NULL,
      allowed_origins text[] NOT NULL,
      allowed_widgets text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS publishable_keys');
  },
});
