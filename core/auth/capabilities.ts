import type { Db } from '../db/database.js';
import { execute, selectRows } from '../db/database.js';
import { TtlCache } from '../ttl-cache.js';
import type { Principal, Role } from './principal.js';

export type Risk = 'pii' | 'payments' | 'cost';

export interface CapabilityDefinition {
  name: string;
  description: string;
  defaultRoles: Role[];
  risk: Risk[];
  /** Platform-wide capabilities act across tenants: only owners hold them. */
  platform?: boolean;
}

export const CAPABILITY_PATTERN = /^[a-z][a-z0-9-]*:[a-z][a-z0-9.-]*$/;

export const coreCapabilities: CapabilityDefinition[] = [
  { name: 'core:tenants.manage', description: 'Create and list tenants', defaultRoles: [], risk: [], platform: true },
  { name: 'core:plugins.install', description: 'Install, upgrade and uninstall plugins', defaultRoles: [], risk: [], platform: true },
  { name: 'core:plugins.configure', description: 'Enable, disable and configure plugins for the tenant', defaultRoles: ['admin'], risk: [] },
  { name: 'core:keys.manage', description: 'Create and revoke API keys', defaultRoles: ['admin'], risk: [] },
  { name: 'core:users.manage', description: 'Manage admin accounts', defaultRoles: ['admin'], risk: ['pii'] },
  { name: 'core:jobs.manage', description: 'Inspect and retry failed jobs', defaultRoles: ['admin'], risk: [] },
  { name: 'core:embed.issue', description: 'Exchange a site user id for a short-lived access token', defaultRoles: ['admin'], risk: ['pii'] },
  { name: 'core:tenant.read', description: 'Read the current tenant', defaultRoles: ['admin', 'instructor', 'learner'], risk: [] },
  { name: 'core:lti.manage', description: 'Register LMSs, rotate LTI keys, read the LTI launch log', defaultRoles: ['admin'], risk: ['pii'] },
  { name: 'core:lti.teach', description: 'Choose LTI content for a course and sync its roster', defaultRoles: ['instructor'], risk: ['pii'] },
];

type Overrides = Map<string, boolean>;

/**
 * Which role holds which capability: plugin and core definitions give the defaults, a tenant may
 * grant or deny per role (capability_grants). Owners hold everything; admins hold every
 * tenant-level capability.
 */
export class CapabilityRegistry {
  private readonly definitions = new Map<string, CapabilityDefinition>();
  private readonly overridesByTenant = new TtlCache<string, Overrides>(30_000);

  constructor(private readonly db: Db) {
    for (const capability of coreCapabilities) this.define(capability);
  }

  define(capability: CapabilityDefinition): void {
    if (!CAPABILITY_PATTERN.test(capability.name)) throw new Error(`Invalid capability name: ${capability.name}`);
    this.definitions.set(capability.name, capability);
  }

  list(): CapabilityDefinition[] {
    return [...this.definitions.values()];
  }

  get(name: string): CapabilityDefinition | undefined {
    return this.definitions.get(name);
  }

  async holds(principal: Principal, name: string): Promise<boolean> {
    const capability = this.definitions.get(name);
    if (!capability) return false;
    if (principal.role === 'owner') return true;
    if (capability.platform) return false;
    if (principal.role === 'admin') return true;
    const override = (await this.overrides(principal.tenantId)).get(`${principal.role}|${name}`);
    return override ?? capability.defaultRoles.includes(principal.role);
  }

  async setGrant(tenantId: string, role: Role, capability: string, granted: boolean): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO capability_grants (tenant_id, role, capability, granted) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, role, capability) DO UPDATE SET granted = EXCLUDED.granted`,
      [tenantId, role, capability, granted],
    );
    this.overridesByTenant.delete(tenantId);
  }

  private overrides(tenantId: string): Promise<Overrides> {
    return this.overridesByTenant.get(tenantId, async () => {
      const rows = await selectRows<{ role: string; capability: string; granted: boolean }>(
        this.db,
        'SELECT role, capability, granted FROM capability_grants WHERE tenant_id = $1',
        [tenantId],
      );
      return new Map(rows.map((row) => [`${row.role}|${row.capability}`, row.granted]));
    });
  }
}
