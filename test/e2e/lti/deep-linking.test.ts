import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../../core/plugin-api.js';
import { manifestSchema } from '../../../core/plugins/manifest.js';
import { firstPartyPlugins } from '../../../plugins/index.js';
import type { Tenancy } from '../../support/harness.js';
import type { Course, SimUser, ToolClient } from '../../support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient, pageData } from '../../support/lti-launch-client.js';
import { type ConnectedLms, type LtiTestPlatform, startConnectedLms } from '../../support/lti-platform.js';

/** Offers a graded item, as a quiz plugin does. */
const quizzer = definePlugin({
  manifest: {
    id: 'quizzer',
    name: 'Quizzer',
    version: '1.0.0',
    coreRange: '>=0.1.0 <1.0.0',
    lti: { contentItems: [{ id: 'quiz-1', title: 'Quiz 1', gradable: { scoreMaximum: 20 } }] },
  },
  register() {},
});

let connected: ConnectedLms;
let platform: LtiTestPlatform;
let lms: LmsSimulator;
let acme: Tenancy;
let client: ToolClient;
let course: Course;
let grace: SimUser;
let ada: SimUser;

beforeAll(async () => {
  connected = await startConnectedLms({ platform: { plugins: [...firstPartyPlugins, quizzer] }, enable: 'example' });
  ({ platform, lms, acme, client } = connected);
  await platform.kernel.plugins.setEnabled(acme.tenantId, 'quizzer', true);
  course = lms.addCourse('Deep Linking 101');
  grace = lms.addUser('Grace Teacher');
  ada = lms.addUser('Ada Learner');
  lms.enroll(course, grace, 'Instructor');
  lms.enroll(course, ada, 'Learner');
});
afterAll(() => connected?.close());

async function openPicker(options: { acceptMultiple?: boolean; data?: string; user?: SimUser } = {}) {
  const steps = await new LtiLaunchClient().launch(
    platform.lti.urls.login,
    lms.prepareLaunch({
      clientId: client.clientId,
      user: options.user ?? grace,
      role: 'Instructor',
      course,
      messageType: 'LtiDeepLinkingRequest',
      deepLinking: { acceptMultiple: options.acceptMultiple, data: options.data },
    }),
  );
  expect(steps.launch?.status, steps.launch?.body).toBe(200);
  const data = pageData<{ requestId: string; session: { token: string } }>(steps.launch!.body);
  return { page: steps.launch!, requestId: data.requestId, auth: `Bearer ${data.session.token}` };
}

describe('LTI Deep Linking 2.0', () => {
  it('round trip: the instructor picks a plugin item, osv signs the response, the LMS verifies it, later launches open that item', async () => {
    const picker = await openPicker({ data: 'opaque-lms-data' });
    expect(picker.page.body).toContain('value="example:notes"');
    expect(picker.page.headers.get('content-security-policy')).toContain(`form-action 'self' ${lms.url}`);

    const answer = await platform.http.post(`/api/v1/lti/deep-links/${picker.requestId}/response`).set('Authorization', picker.auth).send({ items: ['example:notes'] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.returnUrl).toBe(`${lms.url}/deep-link-return`);
    const activeKid = (await platform.lti.toolKeys.ensureActive(acme.tenantId)).kid;
    expect(decodeProtectedHeader(answer.body.jwt).kid).toBe(activeKid);

    const returned = await new LtiLaunchClient().post(answer.body.returnUrl, { JWT: answer.body.jwt });
    expect(returned.status, returned.body).toBe(200);
    const [response] = lms.records.deepLinkResponses;
    expect(response!.payload['https://purl.imsglobal.org/spec/lti-dl/claim/data']).toBe('opaque-lms-data');
    const [item] = response!.payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Array<Record<string, unknown>>;
    expect(item).toMatchObject({ type: 'ltiResourceLink', title: 'Course notes', url: platform.lti.urls.tenantLaunch('acme'), custom: { osv_item: 'example:notes' } });

    // The LMS creates the link with the item's custom parameters; a learner then launches it.
    const steps = await new LtiLaunchClient().launch(
      platform.lti.urls.login,
      lms.prepareLaunch({ clientId: client.clientId, user: ada, course, resourceLink: { id: 'link-from-deep-link', title: 'Course notes' }, custom: item!.custom as Record<string, string> }),
    );
    expect(steps.launch?.status).toBe(200);
    expect(steps.launch!.body).toContain('data-osv-item="example:notes"');
    expect(steps.launch!.body).toContain('<osv-example-notes></osv-example-notes>');
    // Still that item on a later launch, even if the LMS stops sending the custom parameter.
    const later = await new LtiLaunchClient().launch(
      platform.lti.urls.login,
      lms.prepareLaunch({ clientId: client.clientId, user: ada, course, resourceLink: { id: 'link-from-deep-link' } }),
    );
    expect(later.launch!.body).toContain('data-osv-item="example:notes"');
  });

  it('answers once, only to the instructor who opened it, with items enabled plugins offer', async () => {
    const picker = await openPicker();
    const unknown = await platform.http.post(`/api/v1/lti/deep-links/${picker.requestId}/response`).set('Authorization', picker.auth).send({ items: ['nobody:nothing'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('OSV_ERR_VALIDATION');
    const other = await openPicker({ user: lms.addUser('Other Teacher') });
    const stolen = await platform.http.post(`/api/v1/lti/deep-links/${picker.requestId}/response`).set('Authorization', other.auth).send({ items: ['example:notes'] });
    expect(stolen.status).toBe(404);
    const learner = await platform.http.post(`/api/v1/lti/deep-links/${picker.requestId}/response`).set('Authorization', acme.learner).send({ items: ['example:notes'] });
    expect(learner.status).toBe(403);
    const first = await platform.http.post(`/api/v1/lti/deep-links/${picker.requestId}/response`).set('Authorization', picker.auth).send({ items: ['example:notes'] });
    expect(first.status).toBe(200);
    const again = await platform.http.post(`/api/v1/lti/deep-links/${picker.requestId}/response`).set('Authorization', picker.auth).send({ items: ['example:notes'] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OSV_ERR_LTI_DEEP_LINK_CLOSED');
  });

  it('declares a gradebook column (lineItem) for gradable items only, so Moodle and Canvas create it', async () => {
    const picker = await openPicker();
    expect(picker.page.body).toContain('value="quizzer:quiz-1"');
    const answer = await platform.http
      .post(`/api/v1/lti/deep-links/${picker.requestId}/response`)
      .set('Authorization', picker.auth)
      .send({ items: ['example:notes', 'quizzer:quiz-1'] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const returned = await new LtiLaunchClient().post(answer.body.returnUrl, { JWT: answer.body.jwt });
    expect(returned.status, returned.body).toBe(200);
    const items = lms.records.deepLinkResponses.at(-1)!.payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Array<Record<string, unknown>>;
    expect(items[0]).not.toHaveProperty('lineItem');
    expect(items[1]).toMatchObject({
      title: 'Quiz 1',
      custom: { osv_item: 'quizzer:quiz-1' },
      lineItem: { label: 'Quiz 1', scoreMaximum: 20, resourceId: 'quizzer:quiz-1', tag: 'quizzer:quiz-1' },
    });
  });

  it('takes a gradable item’s maximum score (and label) in the manifest, and refuses nonsense', () => {
    const manifest = (gradable: unknown) => ({ id: 'quizzer', name: 'Q', version: '1.0.0', coreRange: '>=0.1.0', lti: { contentItems: [{ id: 'quiz', title: 'Quiz', gradable }] } });
    expect(manifestSchema.safeParse(manifest({ scoreMaximum: 10, label: 'Final quiz' })).success).toBe(true);
    for (const wrong of [{ scoreMaximum: 0 }, { scoreMaximum: -1 }, {}, { scoreMaximum: 10, extra: true }]) {
      expect(manifestSchema.safeParse(manifest(wrong)).success, JSON.stringify(wrong)).toBe(false);
    }
  });

  it('respects accept_multiple: false', async () => {
    const picker = await openPicker({ acceptMultiple: false });
    expect(picker.page.body).toContain('type="radio"');
    const two = await platform.http
      .post(`/api/v1/lti/deep-links/${picker.requestId}/response`)
      .set('Authorization', picker.auth)
      .send({ items: ['example:notes', 'example:notes'] });
    expect(two.status).toBe(400);
  });
});
