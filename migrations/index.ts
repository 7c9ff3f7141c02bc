import type { Migration } from '../core/db/migration-api.js';
import coreSchema from './0001-core-schema.js';
import users from './0002-users.js';
import publishableKeys from './0003-publishable-keys.js';

export const coreMigrations: Migration[] = [coreSchema, users, publishableKeys];
