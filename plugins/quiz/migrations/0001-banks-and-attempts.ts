import { defineMigration } from '../../../core/plugin-api.js';

export default defineMigration({
  name: '0001-banks-and-attempts',
  async up({ sql }) {
    await sql(`CREATE TABLE quiz_questions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id text NOT NULL,
      type text NOT NULL,
      name text NOT NULL,
      body jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX quiz_questions_course ON quiz_questions (tenant_id, course_id, created_at)');
    await sql(`CREATE TABLE quiz_quizzes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id text NOT NULL,
      title text NOT NULL,
      graded boolean NOT NULL,
      attempts_allowed integer CHECK (attempts_allowed IS NULL OR attempts_allowed > 0),
      question_ids uuid[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX quiz_quizzes_course ON quiz_quizzes (tenant_id, course_id)');
    await sql(`CREATE TABLE quiz_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      quiz_id uuid NOT NULL REFERENCES quiz_quizzes ON DELETE CASCADE,
      user_id uuid NOT NULL,
      number integer NOT NULL,
      resource_link_id uuid,
      started_at timestamptz NOT NULL DEFAULT now(),
      submitted_at timestamptz,
      score double precision,
      max_score double precision NOT NULL,
      needs_grading boolean NOT NULL DEFAULT false,
      UNIQUE (quiz_id, user_id, number)
    )`);
    await sql('CREATE INDEX quiz_attempts_user ON quiz_attempts (tenant_id, user_id)');
    await sql(`CREATE TABLE quiz_responses (
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      attempt_id uuid NOT NULL REFERENCES quiz_attempts ON DELETE CASCADE,
      question_id uuid NOT NULL,
      response jsonb NOT NULL,
      fraction double precision,
      answered_at timestamptz NOT NULL DEFAULT now(),
      seconds_spent double precision NOT NULL,
      PRIMARY KEY (attempt_id, question_id)
    )`);
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS quiz_responses, quiz_attempts, quiz_quizzes, quiz_questions');
  },
});
