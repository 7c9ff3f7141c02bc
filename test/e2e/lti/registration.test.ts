import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../../core/db/database.js';
import { createTenant, type Tenancy } from '../../support/harness.js';
import { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient } from '../../support/lti-launch-client.js';
import { type LtiTestPlatform, startLtiPlatform } from '../../support/lti-platform.js';

let platform: LtiTestPlatform;
let acme: Tenancy;
let moodle: LmsSimulator;
let canvas: LmsSimulator;

beforeAll(async () => {
  platform = await startLtiPlatform();
  acme = await createTenant(platform.kernel, 'acme');
  moodle = await LmsSimulator.start();
  canvas = await LmsSimulator.start();
  Object.assign(canvas.registration, {
    product: 'canvas',
    placements: { LtiResourceLinkRequest: ['course_navigation', 'account_navigation'], LtiDeepLinkingRequest: ['link_selection', 'editor_button'] },
  });
});
afterAll(async () => {
  await platform?.close();
  await moodle?.stop();
  await canvas?.stop();
});

async function dynamicRegistrationUrl(): Promise<string> {
  const setup = await platform.http.get('/api/v1/lti/setup').set('Authorization', acme.admin);
  expect(setup.status).toBe(200);
  return setup.body.tool.dynamicRegistrationUrl;
}

/** What Moodle or Canvas does with the URL the admin pasted: open it with its configuration and token. */
function openAsLms(url: string, lms: LmsSimulator, token = lms.registration.token) {
  const target = new URL(url);
  target.searchParams.set('openid_configuration', lms.endpoints.openIdConfiguration);
  target.searchParams.set('registration_token', token);
  return new LtiLaunchClient().request(target.toString(), { method: 'GET', headers: { Accept: 'text/html' } });
}

describe('registering LMSs', () => {
  it('IMS Dynamic Registration from Moodle: configuration, registration, an active registration with its deployment, then launches', async () => {
    const page = await openAsLms(await dynamicRegistrationUrl(), moodle);
    expect(page.status, page.body).toBe(200);
    expect(page.body).toContain("postMessage({ subject: 'org.imsglobal.lti.close' }, '*')");
    const [sent] = moodle.records.registrations;
    expect(sent!.body).toMatchObject({
      initiate_login_uri: platform.lti.urls.tenantLogin('acme'),
      redirect_uris: [platform.lti.urls.tenantLaunch('acme')],
      jwks_uri: platform.lti.urls.jwks('acme'),
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['implicit', 'client_credentials'],
    });
    expect(String(sent!.body.scope).split(' ')).toContain('https://purl.imsglobal.org/spec/lti-ags/scope/score');
    const tool = sent!.body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as { messages: Array<{ type: string; placements?: string[] }>; target_link_uri: string };
    expect(tool.target_link_uri).toBe(platform.lti.urls.tenantLaunch('acme'));
    expect(tool.messages.map((message) => message.type)).toEqual(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']);
    expect(tool.messages.every((message) => message.placements === undefined)).toBe(true);

    const registrations = await platform.http.get('/api/v1/lti/registrations').set('Authorization', acme.admin);
    const registered = registrations.body.find((registration: { clientId: string }) => registration.clientId === sent!.clientId);
    expect(registered).toMatchObject({ status: 'active', issuer: moodle.issuer, product: 'moodle', deployments: moodle.clients.get(sent!.clientId)!.deploymentIds });

    const user = moodle.addUser('Ada Learner');
    const steps = await new LtiLaunchClient().launch(platform.lti.urls.tenantLogin('acme'), moodle.prepareLaunch({ clientId: sent!.clientId, user }));
    expect(steps.launch?.status, steps.launch?.body).toBe(200);
  });

  it('IMS Dynamic Registration from Canvas: only the placements Canvas offers (it answers 422 to others)', async () => {
    const page = await openAsLms(await dynamicRegistrationUrl(), canvas);
    expect(page.status, page.body).toBe(200);
    const tool = canvas.records.registrations[0]!.body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as { messages: Array<{ type: string; placements?: string[] }> };
    expect(tool.messages).toEqual([
      expect.objectContaining({ type: 'LtiResourceLinkRequest', placements: ['course_navigation'] }),
      expect.objectContaining({ type: 'LtiDeepLinkingRequest', placements: ['link_selection'] }),
    ]);
  });

  it('keeps the registration URL secret and reports failures with the LMS’s answer', async () => {
    const url = await dynamicRegistrationUrl();
    const wrongKey = new URL(url);
    wrongKey.searchParams.set('key', 'not-the-key');
    expect((await openAsLms(wrongKey.toString(), moodle)).status).toBe(404);
    const badToken = await openAsLms(url, moodle, 'wrong-token');
    expect(badToken.status).toBe(502);
    expect(badToken.body).toContain('OSV_ERR_LTI_REGISTRATION_FAILED');
    expect(badToken.body).toContain('401');
    const log = await platform.http.get('/api/v1/lti/launch-log?kind=registration&outcome=failure').set('Authorization', acme.admin);
    expect(log.body[0]).toMatchObject({ code: 'OSV_ERR_LTI_REGISTRATION_FAILED' });
  });

  it('registers by hand through the admin API, with presets and precise validation', async () => {
    const invalid = await platform.http.post('/api/v1/lti/registrations').set('Authorization', acme.admin).send({ clientId: '10000000000001' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((detail: { field: string }) => detail.field)).toEqual(
      expect.arrayContaining(['body.issuer', 'body.authorizationEndpoint', 'body.tokenEndpoint', 'body.jwksUri']),
    );
    const created = await platform.http
      .post('/api/v1/lti/registrations')
      .set('Authorization', acme.admin)
      .send({ preset: 'canvas-cloud', clientId: '10000000000001', deploymentIds: ['1:abcdef'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      issuer: 'https://canvas.instructure.com',
      token_endpoint: 'https://sso.canvaslms.com/login/oauth2/token',
      product: 'canvas',
      source: 'manual',
      deployments: ['1:abcdef'],
    });
    const duplicate = await platform.http.post('/api/v1/lti/registrations').set('Authorization', acme.admin).send({ preset: 'canvas-cloud', clientId: '10000000000001' });
    expect(duplicate.status).toBe(409);
    const deployment = await platform.http.post(`/api/v1/lti/registrations/${created.body.id}/deployments`).set('Authorization', acme.admin).send({ deploymentId: '2:fedcba' });
    expect(deployment.status).toBe(201);
    const disabled = await platform.http.patch(`/api/v1/lti/registrations/${created.body.id}`).set('Authorization', acme.admin).send({ status: 'disabled' });
    expect(disabled.body.status).toBe('disabled');
    expect((await platform.http.get('/api/v1/lti/registrations').set('Authorization', acme.learner)).status).toBe(403);
  });

  it('serves the Canvas developer-key JSON at a stable URL per tenant', async () => {
    const response = await platform.http.get('/lti/tenants/acme/canvas.json');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      oidc_initiation_url: platform.lti.urls.tenantLogin('acme'),
      target_link_uri: platform.lti.urls.tenantLaunch('acme'),
      public_jwk_url: platform.lti.urls.jwks('acme'),
      scopes: expect.arrayContaining(['https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly']),
    });
    const placements = response.body.extensions[0].settings.placements.map((placement: { placement: string; message_type: string }) => `${placement.placement}:${placement.message_type}`);
    expect(placements).toEqual(['course_navigation:LtiResourceLinkRequest', 'link_selection:LtiDeepLinkingRequest', 'assignment_selection:LtiDeepLinkingRequest']);
    expect(response.body.extensions[0].privacy_level).toBe('public');
  });

  it('tells admins exactly what to paste into Moodle and Canvas, and what each registration still needs', async () => {
    const setup = await platform.http.get('/api/v1/lti/setup').set('Authorization', acme.admin);
    const moodleFields = Object.fromEntries(setup.body.moodle.manual.fields.map((field: { label: string; value: string }) => [field.label, field.value]));
    expect(moodleFields).toMatchObject({
      'Tool URL': platform.lti.urls.tenantLaunch('acme'),
      'LTI version': 'LTI 1.3',
      'Public key type': 'Keyset URL',
      'Public keyset': platform.lti.urls.jwks('acme'),
      'Initiate login URL': platform.lti.urls.tenantLogin('acme'),
      'Redirection URI(s)': platform.lti.urls.tenantLaunch('acme'),
    });
    expect(setup.body.canvas.manual.jsonUrl).toBe(platform.lti.urls.canvasConfiguration('acme'));
    const canvasCloud = setup.body.registrations.find((registration: { clientId: string }) => registration.clientId === '10000000000001');
    expect(canvasCloud.nextSteps.join(' ')).toMatch(/Enable the registration/);
    const page = await platform.http.get('/lti/setup?tenant=acme');
    expect(page.status).toBe(200);
    expect(page.text).toContain(platform.lti.urls.jwks('acme'));
    expect(page.text).not.toContain('register?key=');
    expect((await platform.http.get('/lti/setup')).status).toBe(200);
  });

  it('answers the setup page of an unknown tenant with a 404 that says so', async () => {
    for (const tenant of ['nobody-here', 'Not_A_Slug']) {
      const page = await platform.http.get(`/lti/setup?tenant=${tenant}`).set('Accept', 'text/html');
      expect(page.status, tenant).toBe(404);
      expect(page.text).toContain('data-osv-error="OSV_ERR_TENANT_NOT_FOUND"');
    }
  });

  it('documents every LTI API route with its access in the OpenAPI document', async () => {
    const doc = await platform.http.get('/api/v1/openapi.json');
    expect(doc.body.paths['/api/v1/lti/launch-log'].get.description).toBe('Access: core:lti.manage');
    expect(doc.body.paths['/api/v1/lti/deep-links/{id}/response'].post.description).toBe('Access: core:lti.teach');
    expect(doc.body.paths['/lti/tenants/{slug}/jwks.json'].get.description).toBe('Access: public');
  });

  it('keeps dynamically registered rows in the tenant', async () => {
    const rows = await selectRows<{ tenant_id: string }>(platform.kernel.db, 'SELECT DISTINCT tenant_id FROM lti_registrations');
    expect(rows).toEqual([{ tenant_id: acme.tenantId }]);
  });
});
