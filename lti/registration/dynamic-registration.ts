import { z } from 'zod';
import { OsvError } from '../../core/errors.js';
import type { Registration, RegistrationStore } from '../registry/registrations.js';
import type { ToolUrls } from '../tool-urls.js';
import { TOOL_CLAIMS, TOOL_DESCRIPTION, TOOL_MESSAGES, TOOL_NAME, TOOL_SCOPES } from './tool-configuration.js';

const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

const openIdConfigurationSchema = z.object({
  issuer: z.url(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  registration_endpoint: z.url(),
  authorization_server: z.string().optional(),
  scopes_supported: z.array(z.string()).optional(),
  [PLATFORM_CONFIGURATION]: z.object({
    product_family_code: z.string().min(1),
    messages_supported: z.array(z.object({ type: z.string(), placements: z.array(z.string()).optional() })).optional(),
  }),
});

type OpenIdConfiguration = z.infer<typeof openIdConfigurationSchema>;

const registrationResponseSchema = z.object({
  client_id: z.string().min(1),
  [TOOL_CONFIGURATION]: z.object({ deployment_id: z.string().min(1).optional() }).optional(),
});

export interface DynamicRegistrationRequest {
  tenantId: string;
  tenantSlug: string;
  openIdConfigurationUrl: string;
  registrationToken?: string;
}

/**
 * IMS LTI Dynamic Registration (what Moodle 4.x and Canvas run): read the platform's OpenID
 * configuration, send osv's tool configuration — only the scopes, message types and placements
 * the platform says it supports (Canvas answers 422 to unknown placements) — and record the
 * registration, active, with the deployment the platform created when it says which.
 */
export class DynamicRegistration {
  constructor(
    private readonly registrations: RegistrationStore,
    private readonly urls: ToolUrls,
    private readonly timeoutMs: number,
  ) {}

  async register(request: DynamicRegistrationRequest): Promise<Registration> {
    const configurationUrl = safeUrl(request.openIdConfigurationUrl);
    const bearer: Record<string, string> = request.registrationToken ? { Authorization: `Bearer ${request.registrationToken}` } : {};
    // Canvas wants the registration token on this request too.
    const configuration = await this.fetchJson('the OpenID configuration', configurationUrl, { headers: { Accept: 'application/json', ...bearer } }, openIdConfigurationSchema);
    const platform = configuration[PLATFORM_CONFIGURATION];
    const product = platform.product_family_code.toLowerCase();
    // The issuer must be the configuration's own site; Canvas cloud is the known exception: its
    // issuer is canvas.instructure.com whatever the school's domain.
    if (new URL(configuration.issuer).origin !== configurationUrl.origin && product !== 'canvas') {
      throw new OsvError('OSV_ERR_LTI_REGISTRATION_FAILED', `The LMS issuer ${configuration.issuer} is not the site that published the configuration`);
    }
    const answer = await this.fetchJson(
      'the registration',
      safeUrl(configuration.registration_endpoint),
      { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...bearer }, body: JSON.stringify(this.toolConfiguration(configuration, request.tenantSlug)) },
      registrationResponseSchema,
    );
    const deploymentId = answer[TOOL_CONFIGURATION]?.deployment_id;
    return this.registrations.create(request.tenantId, {
      name: `${platform.product_family_code} at ${configurationUrl.host}`,
      issuer: configuration.issuer,
      clientId: answer.client_id,
      authorizationEndpoint: configuration.authorization_endpoint,
      tokenEndpoint: configuration.token_endpoint,
      authorizationServer: configuration.authorization_server ?? null,
      jwksUri: configuration.jwks_uri,
      product,
      source: 'dynamic',
      deploymentIds: deploymentId ? [deploymentId] : [],
    });
  }

  private toolConfiguration(configuration: OpenIdConfiguration, tenantSlug: string) {
    const supported = configuration[PLATFORM_CONFIGURATION].messages_supported;
    const messages = TOOL_MESSAGES.flatMap((message) => {
      const offered = supported?.find((candidate) => candidate.type === message.type);
      if (supported && !offered) return [];
      const placements = offered?.placements ? message.placements.filter((placement) => offered.placements!.includes(placement)) : [];
      return [
        {
          type: message.type,
          target_link_uri: this.urls.launch,
          label: message.label,
          ...('supported_types' in message ? { supported_types: message.supported_types } : {}),
          ...(placements.length > 0 ? { placements } : {}),
        },
      ];
    });
    const scopes = configuration.scopes_supported ? TOOL_SCOPES.filter((scope) => configuration.scopes_supported!.includes(scope)) : TOOL_SCOPES;
    return {
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: this.urls.login,
      redirect_uris: [this.urls.launch],
      client_name: TOOL_NAME,
      jwks_uri: this.urls.jwks(tenantSlug),
      token_endpoint_auth_method: 'private_key_jwt',
      scope: scopes.join(' '),
      [TOOL_CONFIGURATION]: {
        domain: this.urls.domain,
        target_link_uri: this.urls.launch,
        description: TOOL_DESCRIPTION,
        claims: TOOL_CLAIMS,
        messages,
        'https://canvas.instructure.com/lti/privacy_level': 'public',
      },
    };
  }

  private async fetchJson<S extends z.ZodType>(what: string, url: URL, init: RequestInit & { headers: Record<string, string> }, schema: S): Promise<z.infer<S>> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs), headers: { 'User-Agent': 'osv-lti/1', ...init.headers } });
    } catch (error) {
      throw new OsvError('OSV_ERR_LTI_REGISTRATION_FAILED', `The LMS could not be reached for ${what}: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) {
      throw new OsvError('OSV_ERR_LTI_REGISTRATION_FAILED', `The LMS answered ${response.status} to ${what}: ${text.slice(0, 500)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OsvError('OSV_ERR_LTI_REGISTRATION_FAILED', `The LMS sent ${what} as something other than JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
      throw new OsvError('OSV_ERR_LTI_REGISTRATION_FAILED', `The LMS sent ${what} without what LTI requires: ${problems}`);
    }
    return parsed.data;
  }
}

/** https only, except on this machine (development and tests). */
function safeUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OsvError('OSV_ERR_LTI_BAD_REQUEST', 'openid_configuration is not a URL');
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new OsvError('OSV_ERR_LTI_BAD_REQUEST', 'The LMS must publish its configuration over https');
  }
  return url;
}
