import { defineMigration } from '../../../../core/plugin-api.js';

/**
 * The embedded vector store: one row per chunk and embedding model, the vector as little-endian
 * float32 bytes (compact, and read straight into a Float32Array). `revision` changes with every
 * write to a course's vectors, so each process knows when its in-memory copy is stale.
 */
export default defineMigration({
  name: '0100-vectors',
  async up({ sql }) {
    await sql(`CREATE TABLE ai_tutor_vectors (
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id text NOT NULL,
      model text NOT NULL,
      material_id uuid NOT NULL,
      chunk_id uuid NOT NULL,
      vector bytea NOT NULL,
      PRIMARY KEY (tenant_id, course_id, model, chunk_id)
    )`);
    await sql('CREATE INDEX ai_tutor_vectors_material ON ai_tutor_vectors (tenant_id, material_id)');
    await sql(`CREATE TABLE ai_tutor_vector_revisions (
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id text NOT NULL,
      model text NOT NULL,
      revision bigint NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, course_id, model)
    )`);
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS ai_tutor_vector_revisions');
    await sql('DROP TABLE IF EXISTS ai_tutor_vectors');
  },
});
