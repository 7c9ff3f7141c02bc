import type { Tenancy } from './harness.js';
import type { Platform } from '../../server/platform.js';

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership';

/**
 * One of every tenant-owned LTI row for a tenant — registration, deployment, tool key, course,
 * link, membership, deep-link request, log entries — written by the LTI module's own services,
 * as a launch would write them.
 */
export async function seedLtiRows(composition: Platform, tenant: Tenancy): Promise<void> {
  const lti = composition.lti.services;
  const lms = `https://lms.${tenant.slug}.test`;
  const registration = await lti.registrations.create(tenant.tenantId, {
    name: `${tenant.slug} LMS`,
    issuer: lms,
    clientId: 'same-client-id',
    authorizationEndpoint: `${lms}/auth`,
    tokenEndpoint: `${lms}/token`,
    jwksUri: `${lms}/jwks`,
    source: 'manual',
    deploymentIds: ['same-deployment'],
  });
  const [deployment] = await lti.registrations.deployments(tenant.tenantId, registration.id);
  await lti.toolKeys.ensureActive(tenant.tenantId);
  const common = { subject: 'same-lti-user', name: 'Same Name', deploymentId: 'same-deployment', custom: {}, context: { id: 'same-course', title: 'Same course' } };
  await lti.recorder.record(registration, deployment!, {
    ...common,
    messageType: 'LtiResourceLinkRequest',
    roles: [`${MEMBERSHIP}#Instructor`],
    resourceLink: { id: 'same-link', title: 'Same link' },
    ags: { scopes: [], lineItemsUrl: `${lms}/lineitems` },
    membershipsUrl: `${lms}/memberships`,
  });
  await lti.recorder.record(registration, deployment!, {
    ...common,
    messageType: 'LtiDeepLinkingRequest',
    roles: [`${MEMBERSHIP}#Instructor`],
    deepLinking: { returnUrl: `${lms}/deep-link-return`, acceptTypes: ['ltiResourceLink'], acceptMultiple: true },
  });
}
