import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { OsvError } from '../../core/errors.js';
import type { Tenant } from '../../core/tenancy/tenants.js';
import type { LtiServices } from '../lti-services.js';
import { escapeHtml, sendPage } from '../pages/html.js';
import { DynamicRegistration } from './dynamic-registration.js';

const querySchema = z.object({
  key: z.string().min(1).max(100),
  openid_configuration: z.string().min(1).max(2000),
  registration_token: z.string().min(1).max(8000).optional(),
});

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /lti/tenants/<slug>/register?key=…&openid_configuration=…&registration_token=…`: the URL a
 * tenant's admin pastes into Moodle or Canvas. The key makes it the tenant's secret (a wrong key
 * looks like an unknown page); what registers through it is active at once.
 */
export async function dynamicRegistrationHandler(services: LtiServices, tenant: Tenant, req: Request, res: Response): Promise<void> {
  const query = querySchema.safeParse(req.query);
  if (!query.success || !sameSecret(query.data.key, services.registrationKey(tenant.id))) {
    if (query.success || typeof req.query.key !== 'string') throw new OsvError('OSV_ERR_NOT_FOUND', 'No such registration page');
    throw new OsvError('OSV_ERR_LTI_BAD_REQUEST', 'The LMS must open this page with openid_configuration (and registration_token)');
  }
  const flow = new DynamicRegistration(services.registrations, services.urls, services.egress, services.options.serviceTimeoutMs);
  try {
    const registration = await flow.register({
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      openIdConfigurationUrl: query.data.openid_configuration,
      registrationToken: query.data.registration_token,
    });
    await services.launchLog.record(tenant.id, {
      kind: 'registration',
      outcome: 'success',
      registrationId: registration.id,
      detail: { issuer: registration.issuer, clientId: registration.client_id, product: registration.product },
    });
    sendPage(res, 200, {
      title: 'Registered',
      body: `<h1>Open Study Volt is registered</h1><div class="card" data-osv-registered="${escapeHtml(registration.id)}">
        <p>${escapeHtml(registration.name)} can now launch Open Study Volt for ${escapeHtml(tenant.name)}.</p>
        <p class="muted">Client id <code>${escapeHtml(registration.client_id)}</code>. You can close this window.</p></div>`,
      // The LMS closes its registration dialog on this message (IMS Dynamic Registration).
      script: `(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');`,
    });
  } catch (error) {
    await services.launchLog.record(tenant.id, {
      kind: 'registration',
      outcome: 'failure',
      code: error instanceof OsvError ? error.code : 'OSV_ERR_INTERNAL',
      reason: (error as Error).message,
      detail: { openIdConfiguration: query.data.openid_configuration },
    });
    throw error;
  }
}
