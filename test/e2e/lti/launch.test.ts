import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../../core/db/database.js';
import type { Tenancy } from '../../support/harness.js';
import type { ToolClient } from '../../support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient, pageData } from '../../support/lti-launch-client.js';
import { type ConnectedLms, type LtiTestPlatform, startConnectedLms } from '../../support/lti-platform.js';

let connected: ConnectedLms;
let platform: LtiTestPlatform;
let lms: LmsSimulator;
let acme: Tenancy;
let client: ToolClient;

beforeAll(async () => {
  connected = await startConnectedLms({ enable: 'example' });
  ({ platform, lms, acme, client } = connected);
});
afterAll(() => connected?.close());

const rows = <T extends object>(sql: string, bind: unknown[] = []) => selectRows<T>(platform.kernel.db, sql, bind);

describe('LTI 1.3 launch over real HTTP', () => {
  it('launches a learner: login → LMS authorization → id_token POST → the course tools with an osv token, no cookie left behind', async () => {
    const course = lms.addCourse('Biology 101');
    const ada = lms.addUser('Ada Learner');
    lms.enroll(course, ada, 'Learner');
    const browser = new LtiLaunchClient();
    const steps = await browser.launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user: ada, course }));

    expect(steps.login.status).toBe(302);
    expect(steps.login.headers.get('location')).toMatch(new RegExp(`^${lms.endpoints.authorizationEndpoint}\\?`));
    const stateCookie = steps.login.headers.getSetCookie().find((cookie) => cookie.startsWith('osv_lti_'));
    expect(stateCookie).toMatch(/HttpOnly; Secure; SameSite=None; Partitioned/);
    expect(steps.launch?.status, steps.launch?.body).toBe(200);
    expect(steps.launch!.body).toContain('data-osv-view="learner"');
    expect(steps.launch!.body).toContain('Course notes');
    expect(steps.launch!.headers.get('x-frame-options')).toBeNull();
    expect(steps.launch!.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect([...browser.cookiesOf(platform.url).keys()].filter((name) => name.startsWith('osv_lti_'))).toEqual([]);

    const { session } = pageData(steps.launch!.body);
    const tenant = await platform.http.get('/api/v1/tenant').set('Authorization', `Bearer ${session.token}`);
    expect(tenant.status).toBe(200);
    expect(tenant.body.slug).toBe('acme');

    const [user] = await rows<{ id: string; role: string; name: string }>('SELECT * FROM users WHERE issuer = $1 AND subject = $2', [`lti:${lms.issuer}`, ada.id]);
    expect(user).toMatchObject({ role: 'learner', name: 'Ada Learner' });
    const [membership] = await rows<{ role: string; status: string; source: string }>(
      `SELECT m.* FROM lti_memberships m JOIN lti_contexts c ON c.id = m.context_ref WHERE c.context_id = $1 AND m.user_id = $2`,
      [course.id, user!.id],
    );
    expect(membership).toMatchObject({ role: 'learner', status: 'active', source: 'launch' });
    const log = await platform.http.get('/api/v1/lti/launch-log').set('Authorization', acme.admin);
    expect(log.body[0]).toMatchObject({ kind: 'launch', outcome: 'success', lms_user: ada.id, user_id: user!.id });
  });

  it('accepts the login by GET too, and shows instructors the management view', async () => {
    const course = lms.addCourse('Chemistry');
    const grace = lms.addUser('Grace Teacher');
    lms.enroll(course, grace, 'Instructor');
    const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user: grace, course }), { method: 'GET' });
    expect(steps.launch?.status, steps.launch?.body).toBe(200);
    expect(steps.launch!.body).toContain('data-osv-view="instructor"');
    expect(steps.launch!.body).toContain('id="osv-roster-sync"');
  });

  it('maps LTI roles to osv roles: teaching assistants teach, LMS administrators administer, the rest learn', async () => {
    const course = lms.addCourse('Physics');
    const roleOf = async (role: 'TeachingAssistant' | 'Administrator' | 'Learner') => {
      const user = lms.addUser(`${role} Person`);
      const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user, course, role }));
      return /data-osv-role="([a-z]+)"/.exec(steps.launch?.body ?? '')?.[1];
    };
    expect(await roleOf('TeachingAssistant')).toBe('instructor');
    expect(await roleOf('Administrator')).toBe('admin');
    expect(await roleOf('Learner')).toBe('learner');
  });

  it('stores the grade and roster endpoints of the launch, so jobs can use them without a live launch', async () => {
    const course = lms.addCourse('Geology');
    const ada = lms.addUser('Ada Learner');
    lms.enroll(course, ada);
    await new LtiLaunchClient().launch(
      platform.lti.urls.login,
      lms.prepareLaunch({ clientId: client.clientId, user: ada, course, resourceLink: { id: 'rl-geo-1', title: 'Quiz 1' }, gradable: true }),
    );
    const [link] = await rows<{ lineitems_url: string; lineitem_url: string; ags_scopes: string[]; title: string }>(
      'SELECT * FROM lti_resource_links WHERE resource_link_id = $1',
      ['rl-geo-1'],
    );
    expect(link!.lineitems_url).toBe(`${lms.url}/ags/${course.id}/lineitems`);
    expect(link!.lineitem_url).toMatch(new RegExp(`^${lms.url}/ags/${course.id}/lineitems/`));
    expect(link!.ags_scopes).toContain('https://purl.imsglobal.org/spec/lti-ags/scope/score');
    const [context] = await rows<{ memberships_url: string }>('SELECT * FROM lti_contexts WHERE context_id = $1', [course.id]);
    expect(context!.memberships_url).toBe(`${lms.url}/nrps/${course.id}/memberships`);
  });

  it('accepts an id_token a minute old (a slow network; ltijs refuses it by default after 10 s) and an LMS clock 20 s ahead', async () => {
    const user = lms.addUser('Slow Network');
    for (const tamper of [{ issuedAt: -60 }, { issuedAt: 20 }]) {
      const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user, tamper }));
      expect(steps.launch?.status, steps.launch?.body.slice(0, 300)).toBe(200);
    }
  });

  it('runs ltijs (mounted under Express 5) on every launch: its nonce store on the same PostgreSQL holds the launch nonce', async () => {
    const ada = lms.addUser('Ada Learner');
    const steps = await new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user: ada }));
    expect(steps.launch?.status).toBe(200);
    const nonce = new URL(steps.login.headers.get('location')!).searchParams.get('nonce');
    const stored = await rows<{ nonce: string }>('SELECT nonce FROM ltijs.nonces WHERE nonce = $1', [nonce]);
    expect(stored).toHaveLength(1);
    const ours = await rows<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'lti%'`);
    expect(ours.length).toBeGreaterThan(5);
    expect(ours.every((table) => table.name.startsWith('lti_'))).toBe(true);
  });

  it('keeps the LMS keys: many launches cost one key fetch, and a key the LMS adds later is fetched when its kid appears', async () => {
    const course = lms.addCourse('Caching');
    const user = lms.addUser('Cache Learner');
    const launch = () => new LtiLaunchClient().launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user, course }));
    await launch();
    const before = lms.jwksFetches;
    for (let i = 0; i < 5; i++) expect((await launch()).launch?.status).toBe(200);
    expect(lms.jwksFetches).toBe(before);
    await lms.keys.rotate();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await launch()).launch?.status).toBe(200);
    expect(lms.jwksFetches).toBe(before + 1);
  });
});
