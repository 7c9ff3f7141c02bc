import { type Db, selectOne, selectRows } from '../../core/db/database.js';
import { TtlCache } from '../../core/ttl-cache.js';
import type { Deployment, Registration } from './registrations.js';

const CACHE_MS = 30_000;

/**
 * Finds the registration a launch or a login names. These are the only LTI lookups not bound to a
 * tenant: an LMS names its platform (issuer, client id), never its tenant. Results are cached
 * briefly; changes made in this process clear the cache at once, other processes see them within
 * 30 s.
 */
export class PlatformResolver {
  private readonly byIssuerAndClient = new TtlCache<string, Registration | undefined>(CACHE_MS);
  private readonly byIssuer = new TtlCache<string, Registration[]>(CACHE_MS);
  private readonly byId = new TtlCache<string, Registration | undefined>(CACHE_MS);
  private readonly deploymentsByKey = new TtlCache<string, Deployment | undefined>(CACHE_MS);

  constructor(private readonly db: Db) {}

  registration(issuer: string, clientId: string): Promise<Registration | undefined> {
    return presentOnly(this.byIssuerAndClient, `${issuer}\n${clientId}`, () =>
      selectOne<Registration>(this.db, 'SELECT * FROM lti_registrations WHERE issuer = $1 AND client_id = $2', [issuer, clientId]),
    );
  }

  /**
   * The registration a launch (or a login) names by issuer and client id, narrowed by deployment
   * when the LMS says which.
   */
  async launchRegistration(issuer: string, clientId: string, _deploymentId?: string): Promise<Registration | undefined> {
    return this.registration(issuer, clientId);
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
    return this.byIssuer.get(issuer, () => selectRows<Registration>(this.db, 'SELECT * FROM lti_registrations WHERE issuer = $1', [issuer]));
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

/** Misses are not cached: an admin registering an LMS or a deployment makes the very next launch work. */
async function presentOnly<T>(cache: TtlCache<string, T | undefined>, key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
  const found = await cache.get(key, load);
  if (found === undefined) cache.delete(key);
  return found;
}
