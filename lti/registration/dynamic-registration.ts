import { z } from 'zod';
import { OsvError } from '../../core/errors.js';
import type { Registration, RegistrationStore } from '../registry/registrations.js';
import type { ToolUrls } from '../tool-urls.js';
import type { LmsEgress } from '../egress/lms-egress.js';
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
    private readonly egress: LmsEgress,
    private readonly timeoutMs: number,
  ) {}

  async register(request: DynamicRegistrationRequest): Promise<Registration> {
    const configurationUrl = this.egress.checkUrl(request.openIdConfigurationUrl, 'openid_configuration');
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
      this.egress.checkUrl(configuration.registration_endpoint, 'The registration endpoint'),
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
          target_link_uri: this.urls.tenantLaunch(tenantSlug),
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
      initiate_login_uri: this.urls.tenantLogin(tenantSlug),
      redirect_uris: [this.urls.tenantLaunch(tenantSlug)],
      client_name: TOOL_NAME,
      jwks_uri: this.urls.jwks(tenantSlug),
      token_endpoint_auth_method: 'private_key_jwt',
      scope: scopes.join(' '),
      [TOOL_CONFIGURATION]: {
        domain: this.urls.domain,
        target_link_uri: this.urls.tenantLaunch(tenantSlug),
        description: TOOL_DESCRIPTION,
        claims: TOOL_CLAIMS,
        messages,
        'https://canvas.instructure.com/lti/privacy_level': 'public',
      },
    };
  }

  /**
   * One call to the LMS. Error messages say what went wrong, never what the answer said: they are
   * shown to whoever opened the registration URL.
   */
  private async fetchJson<S extends z.ZodType>(what: string, url: URL, init: { method?: string; headers: Record<string, string>; body?: string }, schema: S): Promise<z.infer<S>> {
    let response: { status: number; text: string };
    try {
      response = await this.egress.request(url, { ...init, timeoutMs: this.timeoutMs, maxBytes: 256 * 1024 });
    } catch (error) {
      if (error instanceof OsvError) throw error;
      throw new OsvError('OSV_ERR_LTI_REGISTRATION_FAILED', `The LMS could not be reached for ${what}: ${(error as Error).message}`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new OsvError('OSV_ERR_LTI_REGISTRATION_FAILED', `The LMS answered ${response.status} to ${what}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      throw new OsvError('OSV_ERR_LTI_REGISTRATION_FAILED', `The LMS sent ${what} as something other than JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.code}`).join('; ');
      throw new OsvError('OSV_ERR_LTI_REGISTRATION_FAILED', `The LMS sent ${what} without what LTI requires (${problems.slice(0, 300)})`);
    }
    return parsed.data;
  }
}
