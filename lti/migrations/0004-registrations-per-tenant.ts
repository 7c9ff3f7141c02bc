import { defineMigration } from '../../core/db/migration-api.js';

export default defineMigration({
  name: '0004-registrations-per-tenant',
  async up({ sql }) {
    // (issuer, client_id) was unique across tenants: the first tenant to register an LMS owned its
    // launches, and a conflict told any other tenant that someone uses it. It is unique within a
    // tenant now; a launch reaches its tenant through the tenant's own login and launch URLs.
    await sql('ALTER TABLE lti_registrations DROP CONSTRAINT IF EXISTS lti_registrations_issuer_client_id_key');
    await sql('ALTER TABLE lti_registrations ADD CONSTRAINT lti_registrations_tenant_issuer_client_key UNIQUE (tenant_id, issuer, client_id)');
    await sql('CREATE INDEX lti_registrations_issuer_client ON lti_registrations (issuer, client_id)');
    // LMS access tokens ltijs cached per (issuer, client id) would be shared by two tenants' registrations:
    // they are cached per registration now, and the old entries are dropped (ltijs fetches new ones).
    await sql(`DO $$ BEGIN
      IF to_regclass('ltijs.accesstokens') IS NOT NULL THEN DELETE FROM ltijs.accesstokens; END IF;
    END $$`);
  },
  async down({ sql }) {
    await sql('DROP INDEX IF EXISTS lti_registrations_issuer_client');
    await sql('ALTER TABLE lti_registrations DROP CONSTRAINT IF EXISTS lti_registrations_tenant_issuer_client_key');
    await sql('ALTER TABLE lti_registrations ADD CONSTRAINT lti_registrations_issuer_client_id_key UNIQUE (issuer, client_id)');
  },
});
