import { randomBytes } from 'node:crypto';
import { createScratchDatabase, type ScratchDatabase } from '../../bench/support/database.js';

export { BASE_DATABASE_URL } from '../../bench/support/database.js';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh database per test file, so files run in parallel without seeing each other's rows. */
export function createTestDatabase(): Promise<ScratchDatabase> {
  return createScratchDatabase('osv_t');
}

export function uniquePrefix(label: string): string {
  return `osvt-${label}-${randomBytes(4).toString('hex')}`;
}
