import type { Kernel } from '../kernel.js';

export interface FirstRunCredentials {
  tenant: string;
  email: string;
  password: string;
}

/**
 * On an empty database: one tenant and an owner account with a random password, returned so the
 * caller can print it once. Serialised by an advisory lock so parallel starts create it once.
 */
export async function ensureFirstTenant(kernel: Kernel): Promise<FirstRunCredentials | undefined> {
  return kernel.db.transaction(async (transaction) => {
    await kernel.db.query("SELECT pg_advisory_xact_lock(hashtext('osv.first-run'))", { transaction });
    const [rows] = await kernel.db.query('SELECT 1 FROM tenants LIMIT 1', { transaction });
    if ((rows as unknown[]).length > 0) return undefined;
    const tenant = await kernel.tenants.create({ slug: 'default', name: 'Default tenant' }, transaction);
    const email = kernel.config.OSV_ADMIN_EMAIL;
    const { password } = await kernel.tenants.createUser(tenant.id, { email, role: 'owner' }, transaction);
    return { tenant: tenant.slug, email, password };
  });
}
