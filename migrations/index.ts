import type { Migration } from '../core/db/migration-api.js';
import coreSchema from './0001-core-schema.js';

export const coreMigrations: Migration[] = [coreSchema];
