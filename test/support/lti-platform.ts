import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OsvPlugin } from '../../core/plugin-api.js';
import type { LtiOptions } from '../../lti/lti-options.js';
import type { LtiServices } from '../../lti/lti-services.js';
import type { Registration } from '../../lti/registry/registrations.js';
import { createTenant, startTestPlatform, type Tenancy, type TestOptions, type TestPlatform } from './harness.js';
import type { ToolClient } from './lms-simulator/lms-model.js';
import { LmsSimulator } from './lms-simulator/lms-simulator.js';

export interface LtiTestPlatform extends TestPlatform {
  /** Where osv listens (PUBLIC_URL): launches run over real HTTP. */
  url: string;
  lti: LtiServices;
}

/**
 * osv wired by the composition root (LTI included), listening on a free port before it starts so
 * that PUBLIC_URL — which LMSs are told — is the address it really answers on.
 */
export interface LtiPlatformOptions {
  lti?: Partial<LtiOptions>;
  plugins?: OsvPlugin[];
  env?: Record<string, string>;
  kernel?: TestOptions['kernel'];
}

export async function startLtiPlatform(options: LtiPlatformOptions = {}): Promise<LtiTestPlatform> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const platform = await startTestPlatform({
    plugins: options.plugins,
    kernel: options.kernel,
    composed: { lti: { platformKeyCooldownMs: 200, ...options.lti } },
    // The simulated LMSs listen on this machine over http: allowed for the suites only.
    env: { PUBLIC_URL: url, OSV_LTI_ALLOW_LOOPBACK_HTTP: 'true', ...options.env },
  });
  server.on('request', platform.app);
  return {
    ...platform,
    url,
    lti: platform.composition!.lti.services,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await platform.close();
    },
  };
}

/** The LMS registers the tool by hand, and the tenant admin registers the LMS through osv's API. */
export async function connectLms(platform: LtiTestPlatform, lms: LmsSimulator, tenant: Tenancy): Promise<{ client: ToolClient; registration: Registration }> {
  const { urls } = platform.lti;
  const client = lms.addClient({ jwksUrl: urls.jwks(tenant.slug), loginUrl: urls.login, launchUrl: urls.launch });
  const response = await platform.http
    .post('/api/v1/lti/registrations')
    .set('Authorization', tenant.admin)
    .send({
      name: 'Simulated Moodle',
      issuer: lms.issuer,
      clientId: client.clientId,
      authorizationEndpoint: lms.endpoints.authorizationEndpoint,
      tokenEndpoint: lms.endpoints.tokenEndpoint,
      jwksUri: lms.endpoints.jwksUri,
      product: 'moodle',
      deploymentIds: client.deploymentIds,
    });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { client, registration: response.body as Registration };
}

export interface ConnectedLms {
  platform: LtiTestPlatform;
  lms: LmsSimulator;
  /** The tenant the LMS is registered for. */
  acme: Tenancy;
  client: ToolClient;
  close(): Promise<void>;
}

/** osv with LTI, a simulated LMS registered for tenant `acme`, and the plugin `enable` switched on there. */
export async function startConnectedLms(
  options: { platform?: LtiPlatformOptions; lms?: Parameters<typeof LmsSimulator.start>[0]; enable?: string } = {},
): Promise<ConnectedLms> {
  const platform = await startLtiPlatform(options.platform);
  const lms = await LmsSimulator.start(options.lms).catch(async (error: unknown) => {
    await platform.close();
    throw error;
  });
  const close = async () => {
    await platform.close();
    await lms.stop();
  };
  try {
    const acme = await createTenant(platform.kernel, 'acme');
    if (options.enable) await platform.kernel.plugins.setEnabled(acme.tenantId, options.enable, true);
    const { client } = await connectLms(platform, lms, acme);
    return { platform, lms, acme, client, close };
  } catch (error) {
    await close();
    throw error;
  }
}
