import { defineMigration } from '../core/db/migration-api.js';

export default defineMigration({
  name: '0001-core-schema',
  async up({ sql }) {
    await sql(`CREATE TABLE tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql(`CREATE TABLE admin_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      email text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'instructor', 'learner')),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE UNIQUE INDEX admin_users_tenant_email ON admin_users (tenant_id, lower(email))');
    await sql(`CREATE TABLE admin_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES admin_users ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql(`CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      name text NOT NULL,
      display_prefix text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      role text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'instructor', 'learner')),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`);
    await sql(`CREATE TABLE plugins (
      id text PRIMARY KEY,
      version text NOT NULL,
      source text NOT NULL,
      state text NOT NULL CHECK (state IN ('installed', 'failed')),
      last_error text,
      installed_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql(`CREATE TABLE plugin_tables (
      table_name text PRIMARY KEY,
      plugin_id text NOT NULL REFERENCES plugins ON DELETE CASCADE
    )`);
    await sql(`CREATE TABLE tenant_plugins (
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      plugin_id text NOT NULL REFERENCES plugins ON DELETE CASCADE,
      enabled boolean NOT NULL DEFAULT false,
      settings jsonb NOT NULL DEFAULT '{}',
      secrets_encrypted text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, plugin_id)
    )`);
    await sql(`CREATE TABLE capability_grants (
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      role text NOT NULL,
      capability text NOT NULL,
      granted boolean NOT NULL,
      PRIMARY KEY (tenant_id, role, capability)
    )`);
    await sql(`CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      tenant_id uuid REFERENCES tenants ON DELETE CASCADE,
      queue text NOT NULL,
      name text NOT NULL,
      payload jsonb NOT NULL,
      priority integer NOT NULL DEFAULT 0,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'dispatched', 'done', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 5,
      run_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz,
      completed_at timestamptz
    )`);
    await sql(`CREATE INDEX outbox_pending ON outbox (priority DESC, id) WHERE status = 'pending'`);
    await sql(`CREATE TABLE dead_letters (
      id bigserial PRIMARY KEY,
      tenant_id uuid REFERENCES tenants ON DELETE CASCADE,
      outbox_id bigint NOT NULL UNIQUE REFERENCES outbox ON DELETE CASCADE,
      queue text NOT NULL,
      name text NOT NULL,
      payload jsonb NOT NULL,
      error text NOT NULL,
      attempts integer NOT NULL,
      failed_at timestamptz NOT NULL DEFAULT now(),
      retried_at timestamptz
    )`);
  },
  async down({ sql }) {
    for (const table of [
      'dead_letters',
      'outbox',
      'capability_grants',
      'tenant_plugins',
      'plugin_tables',
      'plugins',
      'api_keys',
      'admin_sessions',
      'admin_users',
      'tenants',
    ]) {
      await sql(`DROP TABLE IF EXISTS ${table}`);
    }
  },
});
