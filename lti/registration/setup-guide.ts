import type { Tenant } from '../../core/tenancy/tenants.js';
import type { LtiServices } from '../lti-services.js';

/** What the guide reads: URLs, registrations and their launches (the CLI provides just these). */
export type SetupServices = Pick<LtiServices, 'urls' | 'registrationKey' | 'registrations' | 'launchLog'>;
import type { ToolUrls } from '../tool-urls.js';
import { CANVAS_CLOUD, TOOL_NAME } from './tool-configuration.js';

export interface Field {
  label: string;
  value: string;
}

/** Tool-side values, the same for every LMS. */
export function toolFields(services: Pick<SetupServices, 'urls'>, tenant: Pick<Tenant, 'slug'>): Field[] {
  const { urls } = services;
  return [
    { label: 'Tool URL / target link URI', value: urls.tenantLaunch(tenant.slug) },
    { label: 'Initiate login URL (OIDC)', value: urls.tenantLogin(tenant.slug) },
    { label: 'Redirection URI', value: urls.tenantLaunch(tenant.slug) },
    { label: 'Public keyset URL (JWKS)', value: urls.jwks(tenant.slug) },
    { label: 'Deep linking / content selection URL', value: urls.tenantLaunch(tenant.slug) },
  ];
}

/** Moodle 4.x, "Configure a tool manually" (Site administration › Plugins › External tool › Manage tools). */
export function moodleManualFields(services: Pick<SetupServices, 'urls'>, tenant: Pick<Tenant, 'slug'>): Field[] {
  const { urls } = services;
  return [
    { label: 'Tool name', value: TOOL_NAME },
    { label: 'Tool URL', value: urls.tenantLaunch(tenant.slug) },
    { label: 'LTI version', value: 'LTI 1.3' },
    { label: 'Public key type', value: 'Keyset URL' },
    { label: 'Public keyset', value: urls.jwks(tenant.slug) },
    { label: 'Initiate login URL', value: urls.tenantLogin(tenant.slug) },
    { label: 'Redirection URI(s)', value: urls.tenantLaunch(tenant.slug) },
    { label: 'Supports Deep Linking (Content-Item Message)', value: 'Yes (ticked)' },
    { label: 'Content Selection URL', value: urls.tenantLaunch(tenant.slug) },
    { label: 'IMS LTI Assignment and Grade Services', value: 'Use this service for grade sync and column management' },
    { label: 'IMS LTI Names and Role Provisioning', value: "Use this service to retrieve members' information as per privacy settings" },
    { label: "Share launcher's name / email with tool", value: 'Always' },
  ];
}

/** A value to copy from the LMS into osv: its field in the REST API and its option in the CLI. */
export interface LmsValue extends Field {
  cliOption: string;
}

/** What osv needs back from the LMS to register it by hand (POST /api/v1/lti/registrations or `osv lti registrations add`). */
export const FROM_THE_LMS = {
  moodle: [
    { label: 'issuer', cliOption: '--issuer', value: "Platform ID (Manage tools › the tool's ‘View configuration details’)" },
    { label: 'clientId', cliOption: '--client-id', value: 'Client ID' },
    { label: 'deploymentIds', cliOption: '--deployment', value: 'Deployment ID' },
    { label: 'authorizationEndpoint', cliOption: '--auth-url', value: 'Authentication request URL' },
    { label: 'tokenEndpoint', cliOption: '--token-url', value: 'Access token URL' },
    { label: 'jwksUri', cliOption: '--jwks-url', value: 'Public keyset URL' },
  ],
  canvas: [
    { label: 'preset', cliOption: '--preset', value: 'canvas-cloud (Instructure-hosted Canvas; fills issuer and endpoints)' },
    { label: 'clientId', cliOption: '--client-id', value: 'the developer key’s Client ID (the number under Details)' },
    { label: 'deploymentIds', cliOption: '--deployment', value: 'Settings › Apps › the app’s ⚙ › Deployment Id' },
  ],
} satisfies Record<string, LmsValue[]>;

/** LMSs talk to a tool only over https at an address they can reach; anything else is said up front. */
export function addressWarnings(urls: Pick<ToolUrls, 'base'>): string[] {
  const { protocol, hostname } = new URL(urls.base);
  const local = hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1' || hostname === '[::1]';
  if (protocol === 'https:' && !local) return [];
  return [
    `PUBLIC_URL is ${urls.base}: Moodle and Canvas reach a tool only at a public https:// address. ` +
      'Set PUBLIC_URL to that address (behind a TLS-terminating proxy, also OSV_TRUST_PROXY=true) before registering osv in an LMS.',
  ];
}

export interface RegistrationStatus {
  id: string;
  name: string;
  product: string | null;
  issuer: string;
  clientId: string;
  status: string;
  deployments: string[];
  lastLaunchAt: string | null;
  nextSteps: string[];
}

/** Per registration: what is missing before launches work, in the admin's words. */
export async function registrationStatuses(services: SetupServices, tenantId: string): Promise<RegistrationStatus[]> {
  const registrations = await services.registrations.list(tenantId);
  const deployments = await services.registrations.deployments(tenantId);
  const lastLaunches = await services.launchLog.lastSuccessfulLaunches(tenantId);
  return registrations.map((registration) => {
    const own = deployments.filter((deployment) => deployment.registration_id === registration.id).map((deployment) => deployment.deployment_id);
    const lastLaunchAt = lastLaunches.get(registration.id) ?? null;
    const nextSteps: string[] = [];
    if (registration.status !== 'active') nextSteps.push('Enable the registration (PATCH status "active").');
    if (own.length === 0) {
      nextSteps.push(
        registration.product === 'canvas'
          ? 'Add the Deployment Id Canvas shows under Settings › Apps › the app’s ⚙ › Deployment Id.'
          : 'Add the Deployment ID the LMS shows in the tool’s configuration details.',
      );
    }
    if (!lastLaunchAt) nextSteps.push('Open the tool once from a course to check the connection; failures appear in the launch log.');
    return {
      id: registration.id,
      name: registration.name,
      product: registration.product,
      issuer: registration.issuer,
      clientId: registration.client_id,
      status: registration.status,
      deployments: own,
      lastLaunchAt,
      nextSteps,
    };
  });
}

/** Everything an admin pastes into Moodle and Canvas, and the state of each registration. */
export async function setupGuide(services: SetupServices, tenant: Tenant) {
  const { urls } = services;
  const dynamicRegistrationUrl = urls.dynamicRegistration(tenant.slug, services.registrationKey(tenant.id));
  return {
    warnings: addressWarnings(urls),
    tool: {
      loginUrl: urls.tenantLogin(tenant.slug),
      launchUrl: urls.tenantLaunch(tenant.slug),
      redirectUris: [urls.tenantLaunch(tenant.slug)],
      jwksUrl: urls.jwks(tenant.slug),
      deepLinkingUrl: urls.tenantLaunch(tenant.slug),
      domain: urls.domain,
      dynamicRegistrationUrl,
      canvasConfigurationUrl: urls.canvasConfiguration(tenant.slug),
    },
    moodle: {
      dynamicRegistration: {
        url: dynamicRegistrationUrl,
        steps: [
          'Site administration › Plugins › Activity modules › External tool › Manage tools.',
          'Paste the URL into “Tool URL” and press “Add LTI Advantage”, then “Register”.',
          'Activate the new tool in its card (Moodle lists it as pending until you do).',
        ],
      },
      manual: { fields: moodleManualFields(services, tenant), thenRegisterInOsv: FROM_THE_LMS.moodle },
    },
    canvas: {
      dynamicRegistration: {
        url: dynamicRegistrationUrl,
        steps: ['Admin › Developer Keys › + Developer Key › + LTI Registration.', 'Paste the URL as the Dynamic Registration URL and finish the dialog.', 'Turn the key ON and install the app in the account (Settings › Apps › + App › By Client ID).'],
      },
      manual: {
        jsonUrl: urls.canvasConfiguration(tenant.slug),
        steps: [
          'Admin › Developer Keys › + Developer Key › + LTI Key; Method “Enter URL”; paste the JSON URL; Save; turn the key ON.',
          'Settings › Apps › View App Configurations › + App › Configuration Type “By Client ID”; paste the key’s Client ID; Install.',
          'Register it in osv with the Client ID and the app’s Deployment Id.',
        ],
        cloudEndpoints: CANVAS_CLOUD,
        thenRegisterInOsv: FROM_THE_LMS.canvas,
      },
    },
    registrations: await registrationStatuses(services, tenant.id),
  };
}
