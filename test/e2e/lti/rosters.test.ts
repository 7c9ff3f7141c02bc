import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, selectOne, selectRows } from '../../../core/db/database.js';
import { definePlugin } from '../../../core/plugin-api.js';
import { firstPartyPlugins } from '../../../plugins/index.js';
import { canonicalRoles } from '../../../lti/launch/roles.js';
import type { MembershipEvent } from '../../../lti/lti-events.js';
import canonicalRolesMigration from '../../../lti/migrations/0002-canonical-roles.js';
import { eventually, type Tenancy } from '../../support/harness.js';
import type { Course, SimUser, ToolClient } from '../../support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient, pageData } from '../../support/lti-launch-client.js';
import { type ConnectedLms, type LtiTestPlatform, startConnectedLms } from '../../support/lti-platform.js';

const seen: Array<{ event: string; payload: MembershipEvent }> = [];

/** Stands in for the enrollment plugin: records the membership events it would consume. */
const watcher = definePlugin({
  manifest: {
    id: 'roster-watch',
    name: 'Roster watch',
    version: '1.0.0',
    coreRange: '>=0.1.0 <1.0.0',
    events: { listens: ['lti.membership.added', 'lti.membership.removed'] },
  },
  register(ctx) {
    for (const event of ['lti.membership.added', 'lti.membership.removed']) {
      ctx.events.on(event, (payload) => {
        seen.push({ event, payload: payload as MembershipEvent });
      });
    }
  },
});

let connected: ConnectedLms;
let platform: LtiTestPlatform;
let lms: LmsSimulator;
let acme: Tenancy;
let client: ToolClient;
let course: Course;
let grace: SimUser;
let ada: SimUser;
let bob: SimUser;
let contextId: string;
let graceToken: string;

beforeAll(async () => {
  connected = await startConnectedLms({ platform: { plugins: [...firstPartyPlugins, watcher] }, enable: 'roster-watch' });
  ({ platform, lms, acme, client } = connected);
  course = lms.addCourse('Rosters 101');
  grace = lms.addUser('Grace Teacher');
  ada = lms.addUser('Ada Learner');
  bob = lms.addUser('Bob Learner');
  lms.enroll(course, grace, 'Instructor');
  lms.enroll(course, ada, 'Learner');
  lms.enroll(course, bob, 'Learner');
});
afterAll(() => connected?.close());

const memberships = () =>
  selectRows<{ subject: string; role: string; status: string }>(
    platform.kernel.db,
    `SELECT u.subject, m.role, m.status FROM lti_memberships m JOIN users u ON u.id = m.user_id WHERE m.context_ref = $1 ORDER BY u.subject`,
    [contextId],
  );

async function launch(user: SimUser) {
  const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user, course }));
  expect(steps.launch?.status, steps.launch?.body).toBe(200);
  return pageData(steps.launch!.body);
}

describe('LTI Names and Role Provisioning: roster sync', () => {
  it('syncs the roster (all pages) after the first launch of a course, mapping NRPS short role names', async () => {
    const page = await launch(grace);
    contextId = page.contextId!;
    graceToken = `Bearer ${page.session.token}`;
    await eventually(async () => (await memberships()).length === 3);
    expect(await memberships()).toEqual(
      [
        { subject: ada.id, role: 'learner', status: 'active' },
        { subject: bob.id, role: 'learner', status: 'active' },
        { subject: grace.id, role: 'instructor', status: 'active' },
      ].sort((a, b) => a.subject.localeCompare(b.subject)),
    );
    expect(lms.records.rosterRequests.filter((request) => request.courseId === course.id).length).toBeGreaterThanOrEqual(2);
    const added = seen.filter((entry) => entry.event === 'lti.membership.added').map((entry) => entry.payload);
    expect(added.map((payload) => payload.lms.userId).sort()).toEqual([ada.id, bob.id, grace.id].sort());
    expect(added.find((payload) => payload.lms.userId === ada.id)).toMatchObject({ contextId, role: 'learner', source: 'roster', lms: { contextId: course.id } });
    const log = await platform.http.get('/api/v1/lti/launch-log?kind=nrps_sync').set('Authorization', acme.admin);
    expect(log.body[0]).toMatchObject({ outcome: 'success', detail: { members: 3, added: 2, removed: 0 } });
  });

  it('stores member roles in one format, full LTI role URIs, from a launch as from the roster (Moodle’s short NRPS names)', async () => {
    const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
    const stored = async () =>
      new Map(
        (
          await selectRows<{ subject: string; lti_roles: string[]; source: string }>(
            platform.kernel.db,
            'SELECT u.subject, m.lti_roles, m.source FROM lti_memberships m JOIN users u ON u.id = m.user_id WHERE m.context_ref = $1',
            [contextId],
          )
        ).map((row) => [row.subject, row]),
      );
    const rows = await stored();
    expect(rows.get(grace.id)).toEqual({ subject: grace.id, source: 'launch', lti_roles: [`${MEMBERSHIP}#Instructor`] });
    expect(rows.get(ada.id)).toEqual({ subject: ada.id, source: 'roster', lti_roles: [`${MEMBERSHIP}#Learner`] });

    // Rows stored before the migration, in short and LTI 1.1 names, are converted by it.
    const legacy = ['Learner', 'urn:lti:role:ims/lis/Instructor/TeachingAssistant', 'urn:lti:instrole:ims/lis/Administrator', 'TeachingAssistant', `${MEMBERSHIP}#Mentor`];
    const expected = [
      `${MEMBERSHIP}#Learner`,
      `${MEMBERSHIP}/Instructor#TeachingAssistant`,
      'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
      `${MEMBERSHIP}/Instructor#TeachingAssistant`,
      `${MEMBERSHIP}#Mentor`,
    ];
    expect(canonicalRoles(legacy)).toEqual(expected);
    await execute(
      platform.kernel.db,
      'UPDATE lti_memberships SET lti_roles = $1 WHERE context_ref = $2 AND user_id = (SELECT id FROM users WHERE subject = $3)',
      [legacy, contextId, bob.id],
    );
    await canonicalRolesMigration.up({ sql: (statement, bind) => selectRows(platform.kernel.db, statement, bind) });
    expect((await stored()).get(bob.id)?.lti_roles).toEqual(expected);
    expect((await stored()).get(grace.id)?.lti_roles).toEqual([`${MEMBERSHIP}#Instructor`]);
  });

  it('does not sync again on every launch', async () => {
    const before = await selectOne<{ count: string }>(platform.kernel.db, `SELECT count(*) FROM outbox WHERE name = 'lti:roster-sync'`);
    await launch(ada);
    await launch(grace);
    const after = await selectOne<{ count: string }>(platform.kernel.db, `SELECT count(*) FROM outbox WHERE name = 'lti:roster-sync'`);
    expect(after!.count).toBe(before!.count);
  });

  it('reflects drops and adds when an instructor asks for a sync, and emits removed/added', async () => {
    seen.length = 0;
    const carol = lms.addUser('Carol Learner');
    lms.enroll(course, bob, 'Learner', 'Inactive');
    lms.enroll(course, carol, 'Learner');
    const sync = await platform.http.post(`/api/v1/lti/contexts/${contextId}/roster-sync`).set('Authorization', graceToken);
    expect(sync.status).toBe(202);
    await eventually(async () => (await memberships()).some((member) => member.subject === carol.id));
    const bobNow = (await memberships()).find((member) => member.subject === bob.id);
    expect(bobNow?.status).toBe('inactive');
    expect(seen.map((entry) => [entry.event, entry.payload.lms.userId])).toEqual(
      expect.arrayContaining([
        ['lti.membership.removed', bob.id],
        ['lti.membership.added', carol.id],
      ]),
    );
    const members = await platform.http.get(`/api/v1/lti/contexts/${contextId}/members`).set('Authorization', graceToken);
    expect(members.status).toBe(200);
    expect(members.body).toHaveLength(3);
  });

  it('checks the course role itself: learners and other courses’ instructors are refused the roster', async () => {
    const adaPage = await launch(ada);
    const learner = `Bearer ${adaPage.session.token}`;
    expect((await platform.http.get(`/api/v1/lti/contexts/${contextId}/members`).set('Authorization', learner)).status).toBe(403);
    expect((await platform.http.post(`/api/v1/lti/contexts/${contextId}/roster-sync`).set('Authorization', learner)).status).toBe(403);
    const other = lms.addCourse('Other course');
    const stranger = lms.addUser('Stranger Teacher');
    lms.enroll(other, stranger, 'Instructor');
    const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user: stranger, course: other }));
    const strangerToken = `Bearer ${pageData(steps.launch!.body).session.token}`;
    const refused = await platform.http.get(`/api/v1/lti/contexts/${contextId}/members`).set('Authorization', strangerToken);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('OSV_ERR_FORBIDDEN');
    expect((await platform.http.get(`/api/v1/lti/contexts/${contextId}/members`).set('Authorization', acme.admin)).status).toBe(200);
  });

  it('runs on a schedule: the maintenance job is scheduled, syncs courses whose roster is stale and schedules itself again', async () => {
    const scheduled = await selectRows<{ run_at: Date }>(platform.kernel.db, `SELECT run_at FROM outbox WHERE name = 'lti:maintenance' AND status = 'pending'`);
    expect(scheduled).toHaveLength(1);
    expect(new Date(scheduled[0]!.run_at).getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    await execute(platform.kernel.db, `UPDATE lti_contexts SET roster_synced_at = now() - interval '2 days' WHERE id = $1`, [contextId]);
    await platform.kernel.jobs.enqueue('lti:maintenance', {}, {});
    await eventually(async () => {
      const row = await selectOne<{ fresh: boolean }>(platform.kernel.db, `SELECT roster_synced_at > now() - interval '1 minute' AS fresh FROM lti_contexts WHERE id = $1`, [contextId]);
      return row?.fresh;
    });
    const pending = await selectRows(platform.kernel.db, `SELECT 1 FROM outbox WHERE name = 'lti:maintenance' AND status = 'pending'`);
    expect(pending.length).toBeGreaterThanOrEqual(1);
  });

  it('lets an admin trigger every course’s sync now', async () => {
    const response = await platform.http.post('/api/v1/lti/roster-syncs').set('Authorization', acme.admin);
    expect(response.status).toBe(202);
    expect(response.body.queued).toBeGreaterThanOrEqual(1);
    const contexts = await platform.http.get('/api/v1/lti/contexts').set('Authorization', acme.admin);
    expect(contexts.body.find((context: { id: string }) => context.id === contextId)).toMatchObject({ context_id: course.id, title: 'Rosters 101' });
  });
});
