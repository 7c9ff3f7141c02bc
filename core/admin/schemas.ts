import { z } from 'zod';
import { ROLES } from '../auth/principal.js';

export const idParams = z.object({ id: z.uuid() });
export const pluginParams = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'is not a plugin id') });
export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lowercase letters, digits or hyphens');
export const emailSchema = z.email().max(254);
export const roleSchema = z.enum(ROLES);
export const tenantRoleSchema = z.enum(['admin', 'instructor', 'learner']);

/** A site origin (scheme, host and port only); anything that is not a URL is refused, not thrown on. */
export const originSchema = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value) && new URL(value).origin === value, 'must be an origin such as https://www.example.edu (no path)');

const LARGEST_BIGINT = 9_223_372_036_854_775_807n;

/** The id of a row keyed by a PostgreSQL bigint: a positive whole number the column can hold. */
export const bigintIdSchema = z
  .string()
  .regex(/^\d+$/, 'must be a positive whole number')
  // Judged only once the digits are valid: BigInt() throws on anything else.
  .refine((value) => !/^\d+$/.test(value) || (BigInt(value) >= 1n && BigInt(value) <= LARGEST_BIGINT), `must be between 1 and ${LARGEST_BIGINT}`);

export const tenantSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string(), created_at: z.string().or(z.date()) });
