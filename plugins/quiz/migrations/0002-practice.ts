import { defineMigration } from '../../../core/plugin-api.js';

export default defineMigration({
  name: '0002-practice',
  async up({ sql }) {
    await sql(`CREATE TABLE quiz_practice_answers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id text NOT NULL,
      user_id uuid NOT NULL,
      question_id uuid NOT NULL REFERENCES quiz_questions ON DELETE CASCADE,
      response jsonb NOT NULL,
      fraction double precision NOT NULL,
      answered_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX quiz_practice_answers_learner ON quiz_practice_answers (tenant_id, course_id, user_id, answered_at)');
    await sql('CREATE INDEX quiz_practice_answers_question ON quiz_practice_answers (question_id)');
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS quiz_practice_answers');
  },
});
