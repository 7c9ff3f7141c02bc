import type { Db, Transaction } from '../../core/db/database.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import { OsvError } from '../../core/errors.js';
import type { LmsEgress } from '../egress/lms-egress.js';
import { isUniqueViolation } from '../sql-errors.js';

export interface Registration {
  id: string;
  tenant_id: string;
  name: string;
  issuer: string;
  client_id: string;
  authorization_endpoint: string;
  token_endpoint: string;
  /** The `aud` of client assertions when the LMS wants something else than its token endpoint. */
  authorization_server: string | null;
  jwks_uri: string;
  /** The LMS product (`moodle`, `canvas`…) when known. */
  product: string | null;
  source: 'manual' | 'dynamic';
  status: 'active' | 'disabled';
  created_at: string;
  updated_at: string;
}

export interface Deployment {
  id: string;
  tenant_id: string;
  registration_id: string;
  deployment_id: string;
  label: string | null;
  created_at: string;
}

export interface RegistrationInput {
  name: string;
  issuer: string;
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  authorizationServer?: string | null;
  jwksUri: string;
  product?: string | null;
  source: Registration['source'];
  deploymentIds?: string[];
}

export type RegistrationPatch = Partial<Omit<RegistrationInput, 'source' | 'deploymentIds' | 'issuer' | 'clientId'>> & {
  status?: Registration['status'];
};


/** A tenant's LMS registrations and their deployments. */
export class RegistrationStore {
  constructor(
    private readonly db: Db,
    private readonly egress: LmsEgress,
    private readonly onChange: () => void,
  ) {}

  /** The LMS URLs osv calls (and sends browsers to) must be https at public addresses. */
  private checkEndpoints(values: { authorizationEndpoint?: string; tokenEndpoint?: string; jwksUri?: string }): void {
    const details = (['authorizationEndpoint', 'tokenEndpoint', 'jwksUri'] as const).flatMap((field) => {
      const value = values[field];
      if (value === undefined) return [];
      try {
        this.egress.checkUrl(value, field);
        return [];
      } catch (error) {
        return [{ field: `body.${field}`, issue: (error as Error).message }];
      }
    });
    if (details.length > 0) {
      throw new OsvError('OSV_ERR_LTI_ADDRESS_REFUSED', details.map((detail) => detail.issue).join('; '), details);
    }
  }

  async create(tenantId: string, input: RegistrationInput, transaction?: Transaction): Promise<Registration> {
    this.checkEndpoints(input);
    const scope = new TenantScope(this.db, tenantId);
    const write = async (tx: Transaction) => {
      const registration = await scope.insert<Registration>(
        'lti_registrations',
        {
          name: input.name,
          issuer: input.issuer,
          client_id: input.clientId,
          authorization_endpoint: input.authorizationEndpoint,
          token_endpoint: input.tokenEndpoint,
          authorization_server: input.authorizationServer ?? null,
          jwks_uri: input.jwksUri,
          product: input.product ?? null,
          source: input.source,
        },
        tx,
      );
      for (const deploymentId of new Set(input.deploymentIds ?? [])) {
        await scope.insert('lti_deployments', { registration_id: registration.id, deployment_id: deploymentId }, tx);
      }
      return registration;
    };
    try {
      const registration = transaction ? await write(transaction) : await this.db.transaction(write);
      this.onChange();
      return registration;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new OsvError('OSV_ERR_CONFLICT', `A registration for issuer ${input.issuer} and client id ${input.clientId} already exists`);
      }
      throw error;
    }
  }

  list(tenantId: string): Promise<Registration[]> {
    return new TenantScope(this.db, tenantId).select<Registration>('lti_registrations', {}, { orderBy: 'created_at' });
  }

  async get(tenantId: string, id: string): Promise<Registration> {
    const registration = await new TenantScope(this.db, tenantId).findOne<Registration>('lti_registrations', { id });
    if (!registration) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such LTI registration in this tenant');
    return registration;
  }

  async update(tenantId: string, id: string, patch: RegistrationPatch): Promise<Registration> {
    this.checkEndpoints(patch);
    await this.get(tenantId, id);
    const values: Record<string, unknown> = { updated_at: new Date() };
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.authorizationEndpoint !== undefined) values.authorization_endpoint = patch.authorizationEndpoint;
    if (patch.tokenEndpoint !== undefined) values.token_endpoint = patch.tokenEndpoint;
    if (patch.authorizationServer !== undefined) values.authorization_server = patch.authorizationServer;
    if (patch.jwksUri !== undefined) values.jwks_uri = patch.jwksUri;
    if (patch.product !== undefined) values.product = patch.product;
    if (patch.status !== undefined) values.status = patch.status;
    const [updated] = await new TenantScope(this.db, tenantId).update<Registration>('lti_registrations', { id }, values);
    this.onChange();
    return updated!;
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const removed = await new TenantScope(this.db, tenantId).remove('lti_registrations', { id });
    if (removed === 0) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such LTI registration in this tenant');
    this.onChange();
  }

  deployments(tenantId: string, registrationId?: string): Promise<Deployment[]> {
    const where = registrationId ? { registration_id: registrationId } : {};
    return new TenantScope(this.db, tenantId).select<Deployment>('lti_deployments', where, { orderBy: 'created_at' });
  }

  async addDeployment(tenantId: string, registrationId: string, deploymentId: string, label?: string): Promise<Deployment> {
    await this.get(tenantId, registrationId);
    try {
      const deployment = await new TenantScope(this.db, tenantId).insert<Deployment>('lti_deployments', {
        registration_id: registrationId,
        deployment_id: deploymentId,
        label: label ?? null,
      });
      this.onChange();
      return deployment;
    } catch (error) {
      if (isUniqueViolation(error)) throw new OsvError('OSV_ERR_CONFLICT', `Deployment ${deploymentId} is already registered`);
      throw error;
    }
  }

  async removeDeployment(tenantId: string, registrationId: string, deploymentId: string): Promise<void> {
    const removed = await new TenantScope(this.db, tenantId).remove('lti_deployments', {
      registration_id: registrationId,
      deployment_id: deploymentId,
    });
    if (removed === 0) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such deployment for this registration');
    this.onChange();
  }
}
