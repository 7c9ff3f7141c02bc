import type { Transaction } from '../../core/db/database.js';
import type { TenantScope } from '../../core/db/tenant-scope.js';
import type { ServiceTarget } from '../lti-gateway.js';

/** A registration and deployment as a service call needs them. */
export interface TargetRow {
  registration_id: string;
  registration_status: 'active' | 'disabled';
  issuer: string;
  client_id: string;
  deployment_id: string;
}

/** SQL columns and joins that lead from a row with `deployment_ref` to its registration. */
export const TARGET_COLUMNS = `r.id AS registration_id, r.status AS registration_status, r.issuer, r.client_id, d.deployment_id`;
export const TARGET_JOINS = (alias: string) =>
  `JOIN lti_deployments d ON d.id = ${alias}.deployment_ref JOIN lti_registrations r ON r.id = d.registration_id`;

export function serviceTarget(row: TargetRow): ServiceTarget {
  return { registrationId: row.registration_id, issuer: row.issuer, clientId: row.client_id, deploymentId: row.deployment_id };
}

/** The row of `table` with this id, joined with its registration, inside the tenant. */
export async function loadWithTarget<T extends object>(
  scope: TenantScope,
  table: 'lti_resource_links' | 'lti_contexts' | 'lti_deep_link_requests',
  id: string,
  transaction?: Transaction,
): Promise<(T & TargetRow) | undefined> {
  const [row] = await scope.query<T & TargetRow>(
    `SELECT x.*, ${TARGET_COLUMNS} FROM ${table} x ${TARGET_JOINS('x')} WHERE x.tenant_id = $1 AND x.id = $2`,
    [id],
    transaction,
  );
  return row;
}
