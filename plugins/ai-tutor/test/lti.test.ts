import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenancy } from '../../../test/support/harness.js';
import type { Course, LaunchSpec, SimUser, ToolClient } from '../../../test/support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../../test/support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient, pageData } from '../../../test/support/lti-launch-client.js';
import { type ConnectedLms, type LtiTestPlatform, startConnectedLms } from '../../../test/support/lti-platform.js';
import tutorPlugin from '../plugin.js';
import { ask, settled, TUTOR, upload } from './tutor-support.js';

let connected: ConnectedLms;
let platform: LtiTestPlatform;
let lms: LmsSimulator;
let acme: Tenancy;
let client: ToolClient;
let course: Course;
let ada: SimUser;
let grace: SimUser;

beforeAll(async () => {
  connected = await startConnectedLms({ platform: { plugins: [tutorPlugin] }, enable: 'ai-tutor' });
  ({ platform, lms, acme, client } = connected);
  course = lms.addCourse('Statistics 101');
  ada = lms.addUser('Ada Learner');
  grace = lms.addUser('Grace Teacher');
  lms.enroll(course, ada, 'Learner');
  lms.enroll(course, grace, 'Instructor');
});
afterAll(() => connected?.close());

async function launch(user: SimUser, spec: Partial<LaunchSpec> = {}) {
  const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user, course, ...spec }));
  expect(steps.launch?.status, steps.launch?.body).toBe(200);
  const data = pageData(steps.launch!.body);
  return { body: steps.launch!.body, auth: `Bearer ${data.session.token}`, contextId: data.contextId! };
}

describe('the tutor inside LMS launches', () => {
  it('is offered as a deep-linkable "AI tutor" item that opens <osv-tutor>', async () => {
    const picker = await launch(grace, { role: 'Instructor', messageType: 'LtiDeepLinkingRequest', deepLinking: {} });
    expect(picker.body).toContain('value="ai-tutor:tutor"');
    const linked = await launch(ada, { resourceLink: { id: 'tutor-link', title: 'Ask the tutor' }, custom: { osv_item: 'ai-tutor:tutor' } });
    expect(linked.body).toContain('data-osv-item="ai-tutor:tutor"');
    expect(linked.body).toContain('<osv-tutor></osv-tutor>');
  });

  it('takes the course from the LTI context: the teacher uploads to it and learners ask without naming a course', async () => {
    const teacher = await launch(grace, { role: 'Instructor' });
    const statistics = readFileSync(new URL('./fixtures/statistics.md', import.meta.url));
    const uploaded = await upload(platform.http, teacher.auth, teacher.contextId, { name: 'statistics.md', bytes: statistics, title: 'Averages' });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(202);
    await settled(platform.http, teacher.auth, uploaded.body.id);
    const listed = await platform.http.get(`${TUTOR}/courses/${teacher.contextId}/materials`).set('Authorization', teacher.auth);
    expect(listed.body.map((material: { title: string; status: string }) => [material.title, material.status])).toEqual([['Averages', 'ready']]);

    const learner = await launch(ada);
    expect(learner.contextId).toBe(teacher.contextId);
    const answer = await ask(platform.http, learner.auth, { courseId: '', question: 'What is the median?' });
    expect(answer.done).toMatchObject({ answered: true });
    expect(answer.citations[0]).toMatchObject({ materialId: uploaded.body.id });
  });

  it('keeps a launch inside its own course', async () => {
    const learner = await launch(ada);
    const elsewhere = await ask(platform.http, learner.auth, { courseId: 'another-course', question: 'What is the median?' });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error!.message).toContain('another course');
    const teacher = await launch(grace, { role: 'Instructor' });
    const foreign = await upload(platform.http, teacher.auth, 'another-course', { name: 'x.md', bytes: '# X\n\nText.' });
    expect(foreign.status).toBe(403);
    // An instructor of the tenant (not launched) manages any course by its id.
    expect((await platform.http.get(`${TUTOR}/courses/${teacher.contextId}/materials`).set('Authorization', acme.instructor)).status).toBe(200);
  });
});
