import { defineMigration } from '../../../core/plugin-api.js';

export default defineMigration({
  name: '0001-catalog',
  async up({ sql }) {
    // `search` indexes words twice: 'simple' keeps every word as typed (prefix matching for
    // type-ahead, any language), 'english' adds stems so "courses" finds "course".
    await sql(`CREATE TABLE enrollment_courses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      slug text NOT NULL,
      title text NOT NULL,
      summary text NOT NULL DEFAULT '',
      description text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
      price_cents integer NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
      currency text NOT NULL DEFAULT 'usd' CHECK (currency ~ '^[a-z]{3}$'),
      seat_limit integer CHECK (seat_limit IS NULL OR seat_limit >= 0),
      seats_taken integer NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
      enrollment_opens_at timestamptz,
      enrollment_closes_at timestamptz,
      lti_context_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('simple', summary), 'B') || setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('simple', description), 'C') || setweight(to_tsvector('english', description), 'C')
      ) STORED,
      UNIQUE (tenant_id, slug),
      CHECK (seat_limit IS NULL OR seats_taken <= seat_limit)
    )`);
    await sql('CREATE INDEX enrollment_courses_search ON enrollment_courses USING gin (search)');
    await sql("CREATE INDEX enrollment_courses_published ON enrollment_courses (tenant_id, title, id) WHERE status = 'published'");
    await sql('CREATE INDEX enrollment_courses_lti ON enrollment_courses (tenant_id, lti_context_id) WHERE lti_context_id IS NOT NULL');

    await sql(`CREATE TABLE enrollment_modules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      course_id uuid NOT NULL REFERENCES enrollment_courses ON DELETE CASCADE,
      title text NOT NULL,
      position integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX enrollment_modules_course ON enrollment_modules (tenant_id, course_id, position)');

    await sql(`CREATE TABLE enrollment_lessons (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      module_id uuid NOT NULL REFERENCES enrollment_modules ON DELETE CASCADE,
      course_id uuid NOT NULL REFERENCES enrollment_courses ON DELETE CASCADE,
      title text NOT NULL,
      body text NOT NULL DEFAULT '',
      position integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX enrollment_lessons_module ON enrollment_lessons (tenant_id, module_id, position)');
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS enrollment_lessons, enrollment_modules, enrollment_courses');
  },
});
