import { defineMigration } from '../../../core/plugin-api.js';

export default defineMigration({
  name: '0001-notes',
  async up({ sql }) {
    await sql(`CREATE TABLE example_notes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      title text NOT NULL,
      body text NOT NULL DEFAULT '',
      word_count integer,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX example_notes_tenant ON example_notes (tenant_id, created_at DESC)');
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS example_notes');
  },
});
