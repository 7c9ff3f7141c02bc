import type { Migration } from '../core/db/migration-api.js';
import coreSchema from './0001-core-schema.js';
import users from './0002-users.js';

export const coreMigrations: Migration[] = [coreSchema, users];
