import { type Db, selectOne, selectRows } from '../../core/db/database.js';
import { TtlCache } from '../../core/ttl-cache.js';
import type { Deployment, Registration } from './registrations.js';

const CACHE_MS = 30_000;

/**
 * Finds the registration a login or a launch names. An LMS names its platform (issuer, client id),
 * never its tenant, and several tenants may have registered the same platform: a login through a
 * tenant's own URL looks in that tenant only; the shared login URL takes the platform only when
 * one registration matches. Results are cached briefly; changes made in this process clear the
 * cache at once, other processes see them within 30 s.
 */
export class PlatformResolver {
  private readonly byIssuerAndClient = new TtlCache<string, Registration[]>(CACHE_MS);
  private readonly byIssuer = new TtlCache<string, Registration[]>(CACHE_MS);
  private readonly byId = new TtlCache<string, Registration | undefined>(CACHE_MS);
  private readonly deploymentsByKey = new TtlCache<string, Deployment | undefined>(CACHE_MS);

  constructor(private readonly db: Db) {}

  /** Every tenant's registration of this issuer and client id. */
  async registrations(issuer: string, clientId: string): Promise<Registration[]> {
    const key = `${issuer}\n${clientId}`;
    const found = await this.byIssuerAndClient.get(key, () =>
      selectRows<Registration>(this.db, 'SELECT * FROM lti_registrations WHERE issuer = $1 AND client_id = $2 ORDER BY created_at', [issuer, clientId]),
    );
    if (found.length === 0) this.byIssuerAndClient.delete(key);
    return found;
  }

  /**
   * The registration a login or a launch names, when it names exactly one: in `tenantId` only when
   * given (the tenant's own URLs), else across tenants, narrowed by the deployment the LMS names.
   * `ambiguous` when several tenants' registrations still match.
   */
  async platform(issuer: string, clientId: string | undefined, options: { tenantId?: string; deploymentId?: string } = {}): Promise<PlatformMatch> {
    const all = clientId === undefined ? await this.registrationsOf(issuer) : await this.registrations(issuer, clientId);
    const candidates = options.tenantId === undefined ? all : all.filter((registration) => registration.tenant_id === options.tenantId);
    if (candidates.length <= 1) return candidates[0] ? { kind: 'found', registration: candidates[0] } : { kind: 'none' };
    if (options.deploymentId !== undefined) {
      const withDeployment: Registration[] = [];
      for (const registration of candidates) {
        if (await this.deployment(registration.id, options.deploymentId)) withDeployment.push(registration);
      }
      if (withDeployment.length === 1) return { kind: 'found', registration: withDeployment[0]! };
    }
    return { kind: 'ambiguous' };
  }

  /**
   * The registration an unverified launch names by issuer and client id, narrowed by deployment
   * when the LMS says which; nothing when that does not single one out.
   */
  async launchRegistration(issuer: string, clientId: string, deploymentId?: string): Promise<Registration | undefined> {
    const match = await this.platform(issuer, clientId, { deploymentId });
    return match.kind === 'found' ? match.registration : undefined;
  }

  /** Tenants that registered this issuer with this deployment (uncached: refused logins only). */
  async tenantsWithDeployment(issuer: string, deploymentId: string): Promise<string[]> {
    const rows = await selectRows<{ tenant_id: string }>(
      this.db,
      `SELECT DISTINCT r.tenant_id FROM lti_registrations r JOIN lti_deployments d ON d.registration_id = r.id
       WHERE r.issuer = $1 AND d.deployment_id = $2`,
      [issuer, deploymentId],
    );
    return rows.map((row) => row.tenant_id);
  }

  registrationsOf(issuer: string): Promise<Registration[]> {
    return this.byIssuer.get(issuer, () => selectRows<Registration>(this.db, 'SELECT * FROM lti_registrations WHERE issuer = $1 ORDER BY created_at', [issuer]));
  }

  registrationById(id: string): Promise<Registration | undefined> {
    return presentOnly(this.byId, id, () => selectOne<Registration>(this.db, 'SELECT * FROM lti_registrations WHERE id = $1', [id]));
  }

  deployment(registrationId: string, deploymentId: string): Promise<Deployment | undefined> {
    return presentOnly(this.deploymentsByKey, `${registrationId}\n${deploymentId}`, () =>
      selectOne<Deployment>(this.db, 'SELECT * FROM lti_deployments WHERE registration_id = $1 AND deployment_id = $2', [
        registrationId,
        deploymentId,
      ]),
    );
  }

  clear(): void {
    this.byIssuerAndClient.clear();
    this.byIssuer.clear();
    this.byId.clear();
    this.deploymentsByKey.clear();
  }
}

export type PlatformMatch = { kind: 'found'; registration: Registration } | { kind: 'none' } | { kind: 'ambiguous' };

/** Misses are not cached: an admin registering an LMS or a deployment makes the very next launch work. */
async function presentOnly<T>(cache: TtlCache<string, T | undefined>, key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
  const found = await cache.get(key, load);
  if (found === undefined) cache.delete(key);
  return found;
}
