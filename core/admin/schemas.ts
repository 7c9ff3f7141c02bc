import { z } from 'zod';
import { ROLES } from '../auth/principal.js';

export const idParams = z.object({ id: z.uuid() });
export const pluginParams = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'is not a plugin id') });
export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lowercase letters, digits or hyphens');
export const emailSchema = z.email().max(254);
export const roleSchema = z.enum(ROLES);
export const tenantRoleSchema = z.enum(['admin', 'instructor', 'learner']);

export const tenantSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string(), created_at: z.string().or(z.date()) });
