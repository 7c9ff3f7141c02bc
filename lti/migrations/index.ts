import type { MigrationUnit } from '../../core/db/migrator.js';
import schema from './0001-lti-schema.js';
import canonicalRoles from './0002-canonical-roles.js';
import launchHandoffs from './0003-launch-handoffs.js';
import registrationsPerTenant from './0004-registrations-per-tenant.js';

/** The `lti` schema unit, applied by the kernel after core's (KernelOptions.moduleMigrations). */
export const ltiMigrations: MigrationUnit = { unit: 'lti', migrations: [schema, canonicalRoles, launchHandoffs, registrationsPerTenant] };
