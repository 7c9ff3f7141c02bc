import { defineMigration } from '../../../core/plugin-api.js';

export default defineMigration({
  name: '0001-materials',
  async up({ sql }) {
    // One row per tutor course: its content version changes whenever what students can read changes.
    await sql(`CREATE TABLE ai_tutor_courses (
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id text NOT NULL,
      content_version bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, course_id)
    )`);
    await sql(`CREATE TABLE ai_tutor_materials (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id text NOT NULL,
      title text NOT NULL,
      current_version_id uuid,
      latest_version_id uuid,
      view_key text NOT NULL,
      summary text,
      summary_source text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX ai_tutor_materials_course ON ai_tutor_materials (tenant_id, course_id, created_at)');
    await sql(`CREATE TABLE ai_tutor_material_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      material_id uuid NOT NULL REFERENCES ai_tutor_materials ON DELETE CASCADE,
      filename text NOT NULL,
      media_type text NOT NULL,
      kind text NOT NULL,
      size_bytes integer NOT NULL,
      content bytea NOT NULL,
      status text NOT NULL DEFAULT 'queued',
      stage text NOT NULL DEFAULT 'parse',
      percent integer NOT NULL DEFAULT 0,
      error text,
      sections jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await sql('CREATE INDEX ai_tutor_material_versions_material ON ai_tutor_material_versions (material_id, created_at)');
    await sql(`CREATE TABLE ai_tutor_chunks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id text NOT NULL,
      material_id uuid NOT NULL REFERENCES ai_tutor_materials ON DELETE CASCADE,
      version_id uuid NOT NULL REFERENCES ai_tutor_material_versions ON DELETE CASCADE,
      position integer NOT NULL,
      heading_path text[] NOT NULL DEFAULT '{}',
      page integer,
      text text NOT NULL,
      token_count integer NOT NULL
    )`);
    await sql('CREATE INDEX ai_tutor_chunks_version ON ai_tutor_chunks (version_id, position)');
    await sql('CREATE INDEX ai_tutor_chunks_course ON ai_tutor_chunks (tenant_id, course_id)');
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS ai_tutor_chunks');
    await sql('DROP TABLE IF EXISTS ai_tutor_material_versions');
    await sql('DROP TABLE IF EXISTS ai_tutor_materials');
    await sql('DROP TABLE IF EXISTS ai_tutor_courses');
  },
});
