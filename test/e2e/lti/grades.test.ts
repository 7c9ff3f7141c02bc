import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../../core/db/database.js';
import { grader } from '../../support/grader-plugin.js';
import { firstPartyPlugins } from '../../../plugins/index.js';
import { createTenant, eventually, type Tenancy } from '../../support/harness.js';
import type { Course, LaunchSpec, SimUser, ToolClient } from '../../support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient, pageData } from '../../support/lti-launch-client.js';
import { type ConnectedLms, type LtiTestPlatform, startConnectedLms } from '../../support/lti-platform.js';

let connected: ConnectedLms;
let platform: LtiTestPlatform;
let lms: LmsSimulator;
let acme: Tenancy;
let client: ToolClient;
let course: Course;
let ada: SimUser;
let grace: SimUser;

beforeAll(async () => {
  connected = await startConnectedLms({ platform: { plugins: [...firstPartyPlugins, grader], kernel: { jobBackoffMs: 50 } }, enable: 'grader' });
  ({ platform, lms, acme, client } = connected);
  course = lms.addCourse('Grades 101');
  ada = lms.addUser('Ada Learner');
  grace = lms.addUser('Grace Teacher');
  lms.enroll(course, ada, 'Learner');
  lms.enroll(course, grace, 'Instructor');
});
afterAll(() => connected?.close());

async function launchToken(user: SimUser, spec: Partial<LaunchSpec>): Promise<string> {
  const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user, course, ...spec }));
  expect(steps.launch?.status, steps.launch?.body).toBe(200);
  return `Bearer ${pageData(steps.launch!.body).session.token}`;
}

async function grade(auth: string, body: Record<string, unknown>): Promise<string> {
  const response = await platform.http.post('/api/v1/plugins/grader/grade').set('Authorization', auth).send(body);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.jobId;
}

async function logOf(kind: string) {
  return (await platform.http.get(`/api/v1/lti/launch-log?kind=${kind}&limit=200`).set('Authorization', acme.admin)).body as Array<{
    outcome: string;
    code: string | null;
    reason: string | null;
    user_id: string | null;
  }>;
}

const jobStatus = async (id: string) =>
  (await selectRows<{ status: string }>(platform.kernel.db, 'SELECT status FROM outbox WHERE id = $1', [id]))[0]?.status;

describe('LTI Assignment and Grade Services, from plugins through jobs', () => {
  it('posts a learner’s score to the link’s gradebook column with a client-credentials token signed by the tenant key', async () => {
    const auth = await launchToken(ada, { resourceLink: { id: 'quiz-link', title: 'Quiz' }, gradable: true });
    const jobId = await grade(auth, { score: 8 });
    const posted = await eventually(async () => lms.records.scores.find((score) => score.score.userId === ada.id));
    expect(posted).toMatchObject({ accepted: true, score: { scoreGiven: 8, scoreMaximum: 10, activityProgress: 'Completed', gradingProgress: 'FullyGraded', comment: 'Well done' } });
    expect(posted.lineItemId).toMatch(new RegExp(`^${lms.url}/ags/${course.id}/lineitems/`));
    // Only the score scope: some LMSs refuse the lineitem scope ltijs's scorePublish would add.
    const token = lms.records.tokenRequests.find((request) => request.granted && request.scopes.some((scope) => scope.includes('lti-ags')))!;
    expect(token.scopes).toEqual(['https://purl.imsglobal.org/spec/lti-ags/scope/score']);
    expect(token.kid).toBe((await platform.lti.toolKeys.ensureActive(acme.tenantId)).kid);
    await eventually(async () => (await jobStatus(jobId)) === 'done');
    const [registration] = await platform.lti.registrations.list(acme.tenantId);
    expect((await logOf('ags_score'))[0]).toMatchObject({ outcome: 'success', registration_id: registration!.id, deployment_id: client.deploymentIds[0] });
  });

  it('does not post for someone who is not a learner of the course, and says why', async () => {
    const auth = await launchToken(grace, { resourceLink: { id: 'quiz-link', title: 'Quiz' }, gradable: true });
    const before = lms.records.scores.length;
    const jobId = await grade(auth, { score: 5 });
    await eventually(async () => (await jobStatus(jobId)) === 'done');
    expect(lms.records.scores.length).toBe(before);
    expect((await logOf('ags_score'))[0]).toMatchObject({ outcome: 'failure', code: 'OSV_ERR_LTI_NOT_GRADABLE', deployment_id: client.deploymentIds[0] });
  });

  it('records the LMS’s refusal (Moodle: 400 "Incorrect score received") once, without retrying', async () => {
    const late = lms.addUser('Late Learner');
    lms.enroll(course, late, 'Learner');
    const auth = await launchToken(late, { resourceLink: { id: 'quiz-link', title: 'Quiz' }, gradable: true });
    lms.enroll(course, late, 'Learner', 'Inactive');
    const jobId = await grade(auth, { score: 3 });
    await eventually(async () => (await jobStatus(jobId)) === 'done');
    expect(lms.records.scores.filter((score) => score.score.userId === late.id)).toHaveLength(1);
    const [entry] = await logOf('ags_score');
    expect(entry).toMatchObject({ outcome: 'failure', code: 'OSV_ERR_LTI_LMS_REFUSED' });
    expect(entry!.reason).toContain('400');
    expect(entry!.reason).toContain('Incorrect score received');
  });

  it('retries with backoff while the LMS is down, recording each failed attempt', async () => {
    const auth = await launchToken(ada, { resourceLink: { id: 'quiz-link', title: 'Quiz' }, gradable: true });
    lms.failures.push({ path: /\/scores$/, status: 503, body: 'Service Unavailable', times: 2 });
    const before = lms.records.scores.length;
    const jobId = await grade(auth, { score: 9 });
    await eventually(async () => (await jobStatus(jobId)) === 'done', 15_000);
    expect(lms.records.scores.slice(before)).toEqual([expect.objectContaining({ accepted: true, score: expect.objectContaining({ scoreGiven: 9 }) })]);
    const retries = (await logOf('ags_score')).filter((entry) => entry.reason?.includes('will retry'));
    expect(retries.length).toBeGreaterThanOrEqual(2);
  });

  it('creates the gradebook column when the link has none (once), and a plugin column by tag', async () => {
    const auth = await launchToken(ada, { resourceLink: { id: 'ungraded-link', title: 'Reading' } });
    const created = lms.records.lineItemsCreated.length;
    await grade(auth, { score: 4 });
    await eventually(async () => lms.records.scores.find((score) => score.score.scoreGiven === 4));
    await grade(auth, { score: 6 });
    await eventually(async () => lms.records.scores.find((score) => score.score.scoreGiven === 6));
    const newItems = lms.records.lineItemsCreated.slice(created);
    expect(newItems).toEqual([expect.objectContaining({ resourceLinkId: 'ungraded-link', label: 'Reading', scoreMaximum: 10 })]);
    await grade(auth, { score: 7, tag: 'quiz-2' });
    const tagged = await eventually(async () => lms.records.scores.find((score) => score.score.scoreGiven === 7));
    expect(lms.records.lineItemsCreated.at(-1)).toMatchObject({ tag: 'quiz-2', label: 'Quiz quiz-2', resourceLinkId: 'ungraded-link', id: tagged.lineItemId });
  });

  it('keeps launching an activity whose column osv created (Moodle 4.5 then sends "lineitem": ""), for learners and teachers', async () => {
    const link = { id: 'column-made-by-osv', title: 'Essay' };
    const first = await launchToken(ada, { resourceLink: link });
    const created = lms.records.lineItemsCreated.length;
    await grade(first, { score: 2 });
    const posted = await eventually(async () => lms.records.scores.find((score) => score.score.scoreGiven === 2));
    expect(lms.records.lineItemsCreated).toHaveLength(created + 1);
    for (const user of [ada, grace]) {
      const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user, course, resourceLink: link }));
      const claims = JSON.parse(Buffer.from(steps.form!.fields.id_token!.split('.')[1]!, 'base64url').toString());
      expect(claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'].lineitem).toBe('');
      expect(steps.launch?.status, steps.launch?.body.slice(0, 500)).toBe(200);
    }
    const again = await launchToken(ada, { resourceLink: link });
    await grade(again, { score: 3.5 });
    const second = await eventually(async () => lms.records.scores.find((score) => score.score.scoreGiven === 3.5));
    expect(second.lineItemId).toBe(posted.lineItemId);
    expect(lms.records.lineItemsCreated).toHaveLength(created + 1);
  });

  it('refuses a grade for a link of another tenant at once', async () => {
    const globex = await createTenant(platform.kernel, 'globex');
    await platform.kernel.plugins.setEnabled(globex.tenantId, 'grader', true);
    const [acmeLink] = await selectRows<{ id: string }>(platform.kernel.db, 'SELECT id FROM lti_resource_links WHERE tenant_id = $1 LIMIT 1', [acme.tenantId]);
    const user = await platform.kernel.users.upsert(globex.tenantId, { issuer: 'site', subject: 'x', role: 'learner' });
    const { token } = await platform.kernel.accessTokens.issue({ tenantId: globex.tenantId, userId: user.id, role: 'learner', scope: ['lti'] });
    const response = await platform.http.post('/api/v1/plugins/grader/grade').set('Authorization', `Bearer ${token}`).send({ score: 1, resourceLinkId: acmeLink!.id });
    expect(response.status).toBe(404);
  });
});
