import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../../core/db/database.js';
import { addressRefusal, LmsEgress } from '../../../lti/egress/lms-egress.js';
import { createTenant, type Tenancy } from '../../support/harness.js';
import { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient } from '../../support/lti-launch-client.js';
import { type LtiTestPlatform, startLtiPlatform } from '../../support/lti-platform.js';

/**
 * Server-side request forgery: a tenant admin chooses the URLs osv calls (registration, key set,
 * token endpoint, service endpoints). osv runs here as in production: OSV_LTI_ALLOW_LOOPBACK_HTTP
 * off. No test sends traffic anywhere but this machine: refusals happen before connecting.
 */
let platform: LtiTestPlatform;
let acme: Tenancy;
let lms: LmsSimulator;

beforeAll(async () => {
  platform = await startLtiPlatform({ env: { OSV_LTI_ALLOW_LOOPBACK_HTTP: 'false' } });
  acme = await createTenant(platform.kernel, 'acme');
  lms = await LmsSimulator.start();
});
afterAll(async () => {
  await platform?.close();
  await lms?.stop();
});

const register = (fields: Record<string, unknown>) =>
  platform.http
    .post('/api/v1/lti/registrations')
    .set('Authorization', acme.admin)
    .send({ issuer: 'https://moodle.example.edu', clientId: `client-${Math.random()}`, authorizationEndpoint: 'https://moodle.example.edu/auth', tokenEndpoint: 'https://moodle.example.edu/token', jwksUri: 'https://moodle.example.edu/jwks', ...fields });

describe('osv calls LMSs over https at public addresses only', () => {
  it('classifies addresses: private, loopback, link-local, reserved and their IPv6 forms are refused', () => {
    const strict = { allowLoopback: false };
    for (const address of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '127.0.0.1', '127.1.2.3', '0.0.0.0', '100.64.0.1', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe']) {
      expect(addressRefusal(address, strict), address).toBeDefined();
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111']) expect(addressRefusal(address, strict), address).toBeUndefined();
    const development = { allowLoopback: true };
    expect(addressRefusal('127.0.0.1', development)).toBeUndefined();
    expect(addressRefusal('::1', development)).toBeUndefined();
    expect(addressRefusal('169.254.169.254', development)).toBeDefined();
    expect(addressRefusal('10.0.0.1', development)).toBeDefined();
  });

  it('takes plain http only to loopback, and only when development allows it', () => {
    const development = new LmsEgress({ allowLoopback: true });
    expect(development.checkUrl('http://127.0.0.1:8080/jwks').host).toBe('127.0.0.1:8080');
    expect(development.checkUrl('http://localhost:8080/jwks').host).toBe('localhost:8080');
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://moodle.example.edu/jwks', 'file:///etc/passwd', 'gopher://127.0.0.1/', 'https://user:secret@moodle.example.edu/']) {
      expect(() => development.checkUrl(url), url).toThrow();
    }
    const production = new LmsEgress({ allowLoopback: false });
    for (const url of ['http://127.0.0.1:8080/jwks', 'https://127.0.0.1/jwks', 'https://localhost/jwks', 'https://[::1]/jwks', 'https://169.254.169.254/', 'https://[::ffff:a9fe:a9fe]/']) {
      expect(() => production.checkUrl(url), url).toThrow();
    }
    expect(production.checkUrl('https://moodle.example.edu/mod/lti/certs.php').hostname).toBe('moodle.example.edu');
  });

  it('refuses a host name that resolves to an internal address when connecting (the check is on the address connected to)', async () => {
    const production = new LmsEgress({ allowLoopback: false });
    const port = new URL(lms.url).port;
    // checkUrl is bypassed: as if the name had resolved to a public address when it was checked.
    await expect(production.request(new URL(`http://localhost:${port}/jwks`), { timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'OSV_ERR_LTI_ADDRESS_REFUSED' });
    await expect(production.request(new URL(`http://127.0.0.1:${port}/jwks`), { timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'OSV_ERR_LTI_ADDRESS_REFUSED' });
    expect(lms.jwksFetches).toBe(0);
    const development = new LmsEgress({ allowLoopback: true });
    expect((await development.request(new URL(`http://localhost:${port}/jwks`), { timeoutMs: 5_000 })).status).toBe(200);
    expect(lms.jwksFetches).toBe(1);
  });

  it('refuses manual registrations that point osv at internal addresses or other schemes, naming each field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ tokenEndpoint: 'http://169.254.169.254/latest/meta-data/iam' }, 'body.tokenEndpoint'],
      [{ tokenEndpoint: 'https://169.254.169.254/latest/meta-data/iam' }, 'body.tokenEndpoint'],
      [{ jwksUri: 'file:///etc/passwd' }, 'body.jwksUri'],
      [{ jwksUri: 'http://127.0.0.1:6379/' }, 'body.jwksUri'],
      [{ authorizationEndpoint: 'http://moodle.example.edu/auth' }, 'body.authorizationEndpoint'],
    ];
    for (const [fields, field] of cases) {
      const response = await register(fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(response.body.error.code).toBe('OSV_ERR_LTI_ADDRESS_REFUSED');
      expect(response.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
    }
    expect((await register({})).status).toBe(201);
    const [registration] = await platform.lti.registrations.list(acme.tenantId);
    const patched = await platform.http.patch(`/api/v1/lti/registrations/${registration!.id}`).set('Authorization', acme.admin).send({ jwksUri: 'http://10.0.0.1/jwks' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.code).toBe('OSV_ERR_LTI_ADDRESS_REFUSED');
  });

  it('refuses a dynamic registration whose configuration is on an internal address, without fetching it or echoing anything', async () => {
    const setup = await platform.http.get('/api/v1/lti/setup').set('Authorization', acme.admin);
    const url = new URL(setup.body.tool.dynamicRegistrationUrl);
    for (const target of [lms.endpoints.openIdConfiguration, 'http://169.254.169.254/latest/meta-data/', `https://localhost:${new URL(lms.url).port}/.well-known/openid-configuration`]) {
      url.searchParams.set('openid_configuration', target);
      url.searchParams.set('registration_token', lms.registration.token);
      const page = await new LtiLaunchClient().request(url.toString(), { method: 'GET', headers: { Accept: 'text/html' } });
      expect(page.status, target).toBe(400);
      expect(page.body).toContain('OSV_ERR_LTI_ADDRESS_REFUSED');
    }
    expect(lms.records.registrations).toEqual([]);
  });

  it('refuses to fetch the key set or call the token endpoint of a registration stored with loopback URLs before this check', async () => {
    const { client, registration } = await connectLmsAnyway();
    const jwksBefore = lms.jwksFetches;
    const course = lms.addCourse('Egress');
    const user = lms.addUser('Ada Learner');
    lms.enroll(course, user);
    const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user, course }));
    expect(steps.launch?.status).toBe(400);
    expect(steps.launch?.body).toContain('OSV_ERR_LTI_ADDRESS_REFUSED');
    expect(lms.jwksFetches).toBe(jwksBefore);
    // ltijs's own client (token endpoint, AGS) obeys the same policy.
    const tokenRequests = lms.records.tokenRequests.length;
    await expect(
      platform.lti.gateway.submitScore({ registrationId: registration.id, issuer: registration.issuer, clientId: registration.client_id, deploymentId: client.deploymentIds[0]! }, `${lms.url}/ags/${course.id}/lineitems/x`, {
        userId: user.id,
        scoreGiven: 1,
        scoreMaximum: 1,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      }),
    ).rejects.toThrow(/osv does not connect there/);
    expect(lms.records.tokenRequests.length).toBe(tokenRequests);
  });
});

/** A registration of the simulated (loopback, http) LMS, written past the API's check as an older osv stored it. */
async function connectLmsAnyway() {
  const client = lms.addClient({ jwksUrl: platform.lti.urls.jwks('acme'), loginUrl: platform.lti.urls.login, launchUrl: platform.lti.urls.launch });
  const registration = await platform.lti.registrations.create(acme.tenantId, {
      name: 'Old Moodle',
      issuer: lms.issuer,
      clientId: client.clientId,
      authorizationEndpoint: 'https://placeholder.example.edu/auth',
      tokenEndpoint: 'https://placeholder.example.edu/token',
      jwksUri: 'https://placeholder.example.edu/jwks',
      source: 'manual',
    deploymentIds: client.deploymentIds,
  });
  await execute(platform.kernel.db, 'UPDATE lti_registrations SET authorization_endpoint = $2, token_endpoint = $3, jwks_uri = $4 WHERE id = $1', [
    registration.id,
    lms.endpoints.authorizationEndpoint,
    lms.endpoints.tokenEndpoint,
    lms.endpoints.jwksUri,
  ]);
  platform.lti.resolver.clear();
  return { client, registration };
}
