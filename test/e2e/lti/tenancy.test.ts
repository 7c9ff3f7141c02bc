import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../../core/db/database.js';
import { grader } from '../../support/grader-plugin.js';
import { createTenant, eventually, type Tenancy } from '../../support/harness.js';
import type { Course, SimUser } from '../../support/lms-simulator/lms-model.js';
import { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient, pageData, parseAutoPostForm } from '../../support/lti-launch-client.js';
import { type LtiTestPlatform, startLtiPlatform } from '../../support/lti-platform.js';

const CLIENT_ID = 'shared-client-id';

/** One tenant, the LMS it registered with (issuer and client id shared with the other) and its course. */
interface Side {
  tenant: Tenancy;
  lms: LmsSimulator;
  deploymentId: string;
  course: Course;
  learner: SimUser;
}

let platform: LtiTestPlatform;
let north: Side;
let south: Side;

/** Two LMSs that send the same issuer (as Canvas instances send Instructure's) and the same client id. */
beforeAll(async () => {
  platform = await startLtiPlatform({ plugins: [grader], kernel: { jobBackoffMs: 50 } });
  const northLms = await LmsSimulator.start();
  const southLms = await LmsSimulator.start({ issuer: northLms.issuer });
  const side = async (slug: string, lms: LmsSimulator, learnerName: string): Promise<Side> => {
    const tenant = await createTenant(platform.kernel, slug);
    await platform.kernel.plugins.setEnabled(tenant.tenantId, 'grader', true);
    const { urls } = platform.lti;
    const deploymentId = `deployment-${slug}`;
    lms.addClient({ clientId: CLIENT_ID, deploymentIds: [deploymentId], jwksUrl: urls.jwks(slug), loginUrl: urls.tenantLogin(slug), launchUrl: urls.tenantLaunch(slug) });
    const course = lms.addCourse(`Course of ${slug}`);
    const learner = lms.addUser(learnerName);
    lms.enroll(course, learner, 'Learner');
    return { tenant, lms, deploymentId, course, learner };
  };
  north = await side('northwind', northLms, 'Ada North');
  south = await side('southgate', southLms, 'Bob South');
});
afterAll(async () => {
  await platform?.close();
  await north?.lms.stop();
  await south?.lms.stop();
});

function register(side: Side, clientId = CLIENT_ID) {
  return platform.http
    .post('/api/v1/lti/registrations')
    .set('Authorization', side.tenant.admin)
    .send({
      name: 'Our LMS',
      issuer: side.lms.issuer,
      clientId,
      authorizationEndpoint: side.lms.endpoints.authorizationEndpoint,
      tokenEndpoint: side.lms.endpoints.tokenEndpoint,
      jwksUri: side.lms.endpoints.jwksUri,
      deploymentIds: [side.deploymentId],
    });
}

/** A launch through the tenant's own login URL, as the LMS was told in osv's setup guide. */
async function launchAt(side: Side, loginUrl = platform.lti.urls.tenantLogin(side.tenant.slug)) {
  const steps = await new LtiLaunchClient().launch(
    loginUrl,
    side.lms.prepareLaunch({ clientId: CLIENT_ID, user: side.learner, course: side.course, resourceLink: { id: `quiz-${side.tenant.slug}`, title: 'Quiz' }, gradable: true }),
  );
  expect(steps.launch?.status, steps.launch?.body ?? steps.login.body).toBe(200);
  return pageData(steps.launch!.body);
}

const tenantOfSubject = async (subject: string) =>
  (await selectRows<{ tenant_id: string }>(platform.kernel.db, 'SELECT tenant_id FROM users WHERE subject = $1', [subject])).map((row) => row.tenant_id);

const membersIn = async (tenantId: string) =>
  (
    await selectRows<{ subject: string }>(
      platform.kernel.db,
      'SELECT u.subject FROM lti_memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY u.subject',
      [tenantId],
    )
  ).map((row) => row.subject);

describe('LTI registrations belong to one tenant', () => {
  it('lets two tenants register the same issuer and client id, answering the second as it answers a new LMS', async () => {
    const first = await register(north);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await register(south);
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const unrelated = await register(south, 'a-client-id-nobody-else-uses');
    expect(Object.keys(second.body).sort()).toEqual(Object.keys(unrelated.body).sort());
    expect(second.body).toMatchObject({ issuer: north.lms.issuer, client_id: CLIENT_ID, tenant_id: south.tenant.tenantId });
    // Twice in one tenant is still a conflict, about that tenant's own registration only.
    const again = await register(south);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OSV_ERR_CONFLICT');
    expect(JSON.stringify(again.body)).not.toContain('northwind');
    // Each tenant lists its own registration only.
    const listed = await platform.http.get('/api/v1/lti/registrations').set('Authorization', north.tenant.admin);
    expect(listed.body.map((registration: { id: string }) => registration.id)).toEqual([first.body.id]);
  });

  it('hands each tenant’s own login and launch URLs to the LMS', async () => {
    const { urls } = platform.lti;
    const guide = await platform.http.get('/api/v1/lti/setup').set('Authorization', south.tenant.admin);
    expect(guide.body.tool).toMatchObject({
      loginUrl: urls.tenantLogin('southgate'),
      launchUrl: urls.tenantLaunch('southgate'),
      redirectUris: [urls.tenantLaunch('southgate')],
      deepLinkingUrl: urls.tenantLaunch('southgate'),
    });
    expect(urls.tenantLogin('southgate')).toBe(`${platform.url}/lti/tenants/southgate/login`);
    const canvas = await platform.http.get('/lti/tenants/southgate/canvas.json');
    expect(canvas.body).toMatchObject({ oidc_initiation_url: urls.tenantLogin('southgate'), target_link_uri: urls.tenantLaunch('southgate') });
  });

  it('lands each launch in the tenant whose URL the LMS was given', async () => {
    const northPage = await launchAt(north);
    const southPage = await launchAt(south);
    expect(await tenantOfSubject(north.learner.id)).toEqual([north.tenant.tenantId]);
    expect(await tenantOfSubject(south.learner.id)).toEqual([south.tenant.tenantId]);
    expect(northPage.contextId).not.toBe(southPage.contextId);
    // A launch posted to another tenant's launch URL than the one its login was started for is refused.
    const browser = new LtiLaunchClient();
    const started = await browser.startLogin(
      platform.lti.urls.tenantLogin('southgate'),
      south.lms.prepareLaunch({ clientId: CLIENT_ID, user: south.learner, course: south.course }),
      'POST',
    );
    const authorization = await browser.request(started.headers.get('location')!, { method: 'GET' });
    const form = parseAutoPostForm(authorization.body);
    expect(form.action).toBe(platform.lti.urls.tenantLaunch('southgate'));
    const crossed = await browser.post(platform.lti.urls.tenantLaunch('northwind'), form.fields);
    expect(crossed.status).toBe(401);
    expect(crossed.body).toContain('OSV_ERR_LTI_STATE_MISMATCH');
  });

  it('posts each tenant’s grades and syncs its rosters through its own registration, signed with its own key', { timeout: 150_000 }, async () => {
    for (const side of [north, south]) {
      const page = await launchAt(side);
      const graded = await platform.http.post('/api/v1/plugins/grader/grade').set('Authorization', `Bearer ${page.session.token}`).send({ score: 7 });
      expect(graded.status, JSON.stringify(graded.body)).toBe(202);
    }
    for (const [side, other] of [
      [north, south],
      [south, north],
    ] as const) {
      const posted = await eventually(async () => side.lms.records.scores.find((score) => score.score.userId === side.learner.id), 60_000);
      expect(posted).toMatchObject({ accepted: true, courseId: side.course.id, score: { scoreGiven: 7 } });
      expect(other.lms.records.scores.some((score) => score.score.userId === side.learner.id)).toBe(false);
      await eventually(async () => (await membersIn(side.tenant.tenantId)).includes(side.learner.id), 60_000);
      expect(await membersIn(side.tenant.tenantId)).toEqual([side.learner.id]);
      expect(side.lms.records.rosterRequests.every((request) => request.courseId === side.course.id)).toBe(true);
      const kid = (await platform.lti.toolKeys.ensureActive(side.tenant.tenantId)).kid;
      const granted = side.lms.records.tokenRequests.filter((request) => request.granted);
      expect(granted.length).toBeGreaterThan(0);
      expect(new Set(granted.map((request) => request.kid))).toEqual(new Set([kid]));
      expect(side.lms.records.tokenRequests.filter((request) => !request.granted)).toEqual([]);
    }
  });

  it('refuses a login on the shared URL that fits both tenants, without naming either', async () => {
    const login = north.lms.prepareLaunch({ clientId: CLIENT_ID, user: north.learner, course: north.course });
    const { lti_deployment_id: _deployment, ...withoutDeployment } = login;
    const refused = await new LtiLaunchClient().startLogin(platform.lti.urls.login, withoutDeployment, 'POST');
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('OSV_ERR_LTI_AMBIGUOUS_PLATFORM');
    for (const secret of ['northwind', 'southgate', north.lms.url, south.lms.url]) expect(refused.body).not.toContain(secret);
    const json = await platform.http.post('/lti/login').set('Accept', 'application/json').type('form').send(withoutDeployment);
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('OSV_ERR_LTI_AMBIGUOUS_PLATFORM');
    expect(JSON.stringify(json.body)).not.toMatch(/northwind|southgate/);
    // Nothing lands in either tenant's launch log: it would tell each that the other registered the LMS.
    for (const side of [north, south]) {
      const log = await platform.http.get('/api/v1/lti/launch-log').set('Authorization', side.tenant.admin);
      expect(log.body.filter((entry: { code: string | null }) => entry.code === 'OSV_ERR_LTI_AMBIGUOUS_PLATFORM')).toEqual([]);
    }
  });

  it('answers a login at the URL of a tenant that did not register the LMS as for an LMS nobody registered', async () => {
    await createTenant(platform.kernel, 'eastfield');
    const login = north.lms.prepareLaunch({ clientId: CLIENT_ID, user: north.learner, course: north.course });
    const elsewhere = await platform.http.post('/lti/tenants/eastfield/login').set('Accept', 'application/json').type('form').send(login);
    const nowhere = await platform.http
      .post('/lti/tenants/eastfield/login')
      .set('Accept', 'application/json')
      .type('form')
      .send({ ...login, client_id: 'a-client-id-nobody-registered' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.code).toBe('OSV_ERR_LTI_UNKNOWN_PLATFORM');
    expect(nowhere.body.error.code).toBe('OSV_ERR_LTI_UNKNOWN_PLATFORM');
    expect(JSON.stringify(elsewhere.body)).not.toMatch(/northwind|southgate/);
    const unknownTenant = await platform.http.post('/lti/tenants/no-such-tenant/login').set('Accept', 'application/json').type('form').send(login);
    expect(unknownTenant.status).toBe(404);
    expect(unknownTenant.body.error.code).toBe('OSV_ERR_TENANT_NOT_FOUND');
  });

  it('still takes a shared-URL login whose deployment only one tenant registered', async () => {
    const login = north.lms.prepareLaunch({ clientId: CLIENT_ID, user: north.learner, course: north.course });
    const started = await new LtiLaunchClient().startLogin(platform.lti.urls.login, login, 'POST');
    expect(started.status).toBe(302);
    expect(new URL(started.headers.get('location')!).origin).toBe(north.lms.url);
  });
});
