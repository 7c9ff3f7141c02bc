import { defineMigration } from '../../core/db/migration-api.js';

export default defineMigration({
  name: '0001-lti-schema',
  async up({ sql }) {
    // ltijs-sequelize creates its own tables (nonces, cached service tokens) with sequelize.sync():
    // they live in this schema, apart from ours, through the search_path of ltijs's connection.
    await sql('CREATE SCHEMA IF NOT EXISTS ltijs');

    // A platform (LMS) as it knows osv: unique on (issuer, client_id) across tenants, because a
    // launch names its platform and not its tenant.
    await sql(`CREATE TABLE lti_registrations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      name text NOT NULL,
      issuer text NOT NULL,
      client_id text NOT NULL,
      authorization_endpoint text NOT NULL,
      token_endpoint text NOT NULL,
      authorization_server text,
      jwks_uri text NOT NULL,
      product text,
      source text NOT NULL CHECK (source IN ('manual', 'dynamic')),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (issuer, client_id),
      UNIQUE (id, tenant_id)
    )`);
    await sql('CREATE INDEX lti_registrations_tenant ON lti_registrations (tenant_id)');

    await sql(`CREATE TABLE lti_deployments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      registration_id uuid NOT NULL,
      deployment_id text NOT NULL,
      label text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (registration_id, deployment_id),
      UNIQUE (id, tenant_id),
      FOREIGN KEY (registration_id, tenant_id) REFERENCES lti_registrations (id, tenant_id) ON DELETE CASCADE
    )`);

    // Courses; the NRPS endpoint captured at launch lets the roster job run without a live launch.
    await sql(`CREATE TABLE lti_contexts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      deployment_ref uuid NOT NULL,
      context_id text NOT NULL,
      title text,
      label text,
      memberships_url text,
      roster_synced_at timestamptz,
      roster_sync_requested_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (deployment_ref, context_id),
      UNIQUE (id, tenant_id),
      FOREIGN KEY (deployment_ref, tenant_id) REFERENCES lti_deployments (id, tenant_id) ON DELETE CASCADE
    )`);

    // Placements of osv in a course; AGS endpoints and scopes as the last launch granted them.
    await sql(`CREATE TABLE lti_resource_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      deployment_ref uuid NOT NULL,
      context_ref uuid,
      resource_link_id text NOT NULL,
      title text,
      content_item text,
      lineitems_url text,
      lineitem_url text,
      ags_scopes text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (deployment_ref, resource_link_id),
      FOREIGN KEY (deployment_ref, tenant_id) REFERENCES lti_deployments (id, tenant_id) ON DELETE CASCADE,
      FOREIGN KEY (context_ref, tenant_id) REFERENCES lti_contexts (id, tenant_id) ON DELETE CASCADE
    )`);

    await sql(`CREATE TABLE lti_memberships (
      tenant_id uuid NOT NULL,
      context_ref uuid NOT NULL,
      user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('admin', 'instructor', 'learner')),
      lti_roles text[] NOT NULL DEFAULT '{}',
      status text NOT NULL CHECK (status IN ('active', 'inactive')),
      source text NOT NULL CHECK (source IN ('launch', 'roster')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (context_ref, user_id),
      FOREIGN KEY (context_ref, tenant_id) REFERENCES lti_contexts (id, tenant_id) ON DELETE CASCADE
    )`);

    // The tool's signing keys per tenant: one active, retiring ones still published until
    // retires_at (the overlap), revoked ones never published again. Private keys are sealed with
    // the platform encryption key.
    await sql(`CREATE TABLE lti_tool_keys (
      kid text PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      public_jwk jsonb NOT NULL,
      private_key_sealed text NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'retiring', 'revoked')),
      created_at timestamptz NOT NULL DEFAULT now(),
      retires_at timestamptz,
      revoked_at timestamptz
    )`);
    await sql(`CREATE UNIQUE INDEX lti_tool_keys_one_active ON lti_tool_keys (tenant_id) WHERE status = 'active'`);

    // Every launch and service call, success or failure with the precise reason (LTIAAS-style).
    await sql(`CREATE TABLE lti_launch_log (
      id bigserial PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      registration_id uuid,
      kind text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
      code text,
      reason text,
      deployment_id text,
      message_type text,
      lms_user text,
      user_id uuid,
      context_ref uuid,
      detail jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await sql('CREATE INDEX lti_launch_log_tenant ON lti_launch_log (tenant_id, created_at DESC)');

    // Deep-linking requests waiting for the instructor's choice.
    await sql(`CREATE TABLE lti_deep_link_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      deployment_ref uuid NOT NULL,
      user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
      settings jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      responded_at timestamptz,
      FOREIGN KEY (deployment_ref, tenant_id) REFERENCES lti_deployments (id, tenant_id) ON DELETE CASCADE
    )`);

    // OIDC logins in flight (before the tenant is known): state ↔ nonce, single use.
    await sql(`CREATE TABLE lti_login_states (
      state text PRIMARY KEY,
      registration_id uuid NOT NULL REFERENCES lti_registrations ON DELETE CASCADE,
      nonce text NOT NULL,
      login jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    )`);
    await sql('CREATE INDEX lti_login_states_expiry ON lti_login_states (expires_at)');
  },
  async down({ sql }) {
    for (const table of [
      'lti_login_states',
      'lti_deep_link_requests',
      'lti_launch_log',
      'lti_tool_keys',
      'lti_memberships',
      'lti_resource_links',
      'lti_contexts',
      'lti_deployments',
      'lti_registrations',
    ]) {
      await sql(`DROP TABLE IF EXISTS ${table}`);
    }
    await sql('DROP SCHEMA IF EXISTS ltijs CASCADE');
  },
});
