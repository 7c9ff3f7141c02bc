import { defineMigration } from '../../../core/plugin-api.js';

export default defineMigration({
  name: '0002-conversations',
  async up({ sql }) {
    await sql(`CREATE TABLE ai_tutor_conversations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id text NOT NULL,
      asker text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX ai_tutor_conversations_asker ON ai_tutor_conversations (tenant_id, asker, updated_at DESC)');
    await sql(`CREATE TABLE ai_tutor_turns (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      conversation_id uuid NOT NULL REFERENCES ai_tutor_conversations ON DELETE CASCADE,
      course_id text NOT NULL,
      question text NOT NULL,
      answer text NOT NULL,
      citations jsonb NOT NULL DEFAULT '[]',
      answered boolean NOT NULL,
      answerer text NOT NULL,
      degraded text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX ai_tutor_turns_conversation ON ai_tutor_turns (conversation_id, created_at)');
    await sql('CREATE INDEX ai_tutor_turns_course ON ai_tutor_turns (tenant_id, course_id, created_at DESC)');
    await sql(`CREATE TABLE ai_tutor_usage (
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      period text NOT NULL,
      questions integer NOT NULL DEFAULT 0,
      model_tokens integer NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, period)
    )`);
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS ai_tutor_usage');
    await sql('DROP TABLE IF EXISTS ai_tutor_turns');
    await sql('DROP TABLE IF EXISTS ai_tutor_conversations');
  },
});
