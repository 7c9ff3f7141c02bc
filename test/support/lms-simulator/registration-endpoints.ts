import express from 'express';
import type { LmsSimulator } from './lms-simulator.js';
import { newId } from './lms-model.js';

export interface RegistrationSettings {
  /** The registration token the LMS hands the tool (required as Bearer on both calls, as Canvas does). */
  token: string;
  product: 'moodle' | 'canvas';
  messages: string[];
  /** Placements offered per message type (Canvas lists them; Moodle does not). */
  placements?: Record<string, string[]>;
}

const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/** IMS LTI Dynamic Registration, platform side: the OpenID configuration and the registration endpoint. */
export function installRegistrationEndpoints(app: express.Express, lms: LmsSimulator): void {
  const authorized = (authorization: string | undefined) => authorization === `Bearer ${lms.registration.token}`;

  app.get('/.well-known/openid-configuration', (req, res) => {
    if (!authorized(req.headers.authorization)) return void res.status(401).json({ error: 'registration token required' });
    const { placements } = lms.registration;
    res.json({
      issuer: lms.issuer,
      authorization_endpoint: `${lms.url}/auth`,
      token_endpoint: `${lms.url}/token`,
      jwks_uri: `${lms.url}/jwks`,
      registration_endpoint: `${lms.url}/register`,
      scopes_supported: [
        'openid',
        'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
        'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
        'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
        'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
      ],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: lms.registration.product,
        version: '4.5',
        messages_supported: lms.registration.messages.map((type) => ({ type, ...(placements?.[type] ? { placements: placements[type] } : {}) })),
      },
    });
  });

  app.post('/register', express.json(), (req, res) => {
    if (!authorized(req.headers.authorization)) return void res.status(401).json({ error: 'registration token required' });
    const body = req.body as Record<string, unknown>;
    const tool = body[TOOL_CONFIGURATION] as { messages?: Array<{ type: string; placements?: string[] }> } | undefined;
    const problems: string[] = [];
    for (const field of ['initiate_login_uri', 'jwks_uri', 'client_name']) if (typeof body[field] !== 'string') problems.push(field);
    if (!Array.isArray(body.redirect_uris) || body.redirect_uris.length === 0) problems.push('redirect_uris');
    if (body.token_endpoint_auth_method !== 'private_key_jwt') problems.push('token_endpoint_auth_method');
    if (!tool?.messages) problems.push(TOOL_CONFIGURATION);
    // Canvas answers 422 to a placement it does not offer.
    const offered = lms.registration.placements;
    for (const message of tool?.messages ?? []) {
      for (const placement of message.placements ?? []) if (offered && !offered[message.type]?.includes(placement)) problems.push(`placement ${placement}`);
    }
    if (problems.length > 0) return void res.status(422).json({ error: 'invalid_client_metadata', problems });
    const client = lms.addClient({
      jwksUrl: String(body.jwks_uri),
      loginUrl: String(body.initiate_login_uri),
      launchUrl: String((body.redirect_uris as string[])[0]),
      deploymentIds: [newId('deployment')],
    });
    lms.records.registrations.push({ body, clientId: client.clientId });
    res.json({ ...body, client_id: client.clientId, [TOOL_CONFIGURATION]: { ...(tool ?? {}), deployment_id: client.deploymentIds[0] } });
  });
}
