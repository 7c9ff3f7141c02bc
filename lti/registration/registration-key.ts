import { createHmac } from 'node:crypto';

/** The secret part of a tenant's dynamic registration URL, derived from the platform's signing key. */
export function dynamicRegistrationKey(signingKey: Buffer, tenantId: string): string {
  return createHmac('sha256', signingKey).update(`osv-lti-dynamic-registration:${tenantId}`).digest().toString('base64url').slice(0, 32);
}
