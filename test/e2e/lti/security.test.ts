import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectOne } from '../../../core/db/database.js';
import { createTenant, type Tenancy } from '../../support/harness.js';
import type { Tamper } from '../../support/lms-simulator/id-token.js';
import type { Course, LaunchSpec, SimUser, ToolClient } from '../../support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { type HttpAnswer, type LaunchSteps, LtiLaunchClient, parseAutoPostForm } from '../../support/lti-launch-client.js';
import { type ConnectedLms, connectLms, type LtiTestPlatform, startConnectedLms } from '../../support/lti-platform.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

let connected: ConnectedLms;
let platform: LtiTestPlatform;
let lms: LmsSimulator;
let acme: Tenancy;
let client: ToolClient;
let course: Course;
let mallory: SimUser;

beforeAll(async () => {
  connected = await startConnectedLms();
  ({ platform, lms, acme, client } = connected);
  course = lms.addCourse('Security 101');
  mallory = lms.addUser('Mallory Learner');
  lms.enroll(course, mallory);
});
afterAll(() => connected?.close());

/** Rows a launch would create: none may appear when it is refused. */
async function footprint(): Promise<string> {
  const row = await selectOne<Record<string, string>>(
    platform.kernel.db,
    `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM lti_contexts) AS contexts,
       (SELECT count(*) FROM lti_resource_links) AS links, (SELECT count(*) FROM lti_memberships) AS memberships,
       (SELECT count(*) FROM lti_deep_link_requests) AS deep_links`,
  );
  return JSON.stringify(row);
}

function launch(spec: Partial<LaunchSpec> = {}, options: { tamperForm?: (form: Record<string, string>) => void; blockCookies?: boolean } = {}): Promise<LaunchSteps> {
  return new LtiLaunchClient({ blockCookies: options.blockCookies }).launch(
    platform.lti.urls.login,
    lms.prepareLaunch({ clientId: client.clientId, user: mallory, course, ...spec }),
    { tamperForm: options.tamperForm },
  );
}

/** The "open in a new window" form of a page: where it posts and its one-time token. */
function newWindowForm(answer: HttpAnswer): { action: string; token: string } {
  const form = /<form id="osv-new-window" method="post" action="([^"]+)" target="_blank">\s*<input type="hidden" name="handoff" value="([^"]+)">/.exec(answer.body);
  if (!form) throw new Error(`no new-window form in the page:\n${answer.body.slice(0, 1500)}`);
  return { action: form[1]!.replace(/&amp;/g, '&'), token: form[2]! };
}

function refusal(answer: HttpAnswer | undefined): { status: number; code: string | undefined; text: string } {
  return { status: answer?.status ?? 0, code: /data-osv-error="([A-Z_]+)"/.exec(answer?.body ?? '')?.[1], text: answer?.body ?? '' };
}

async function expectRefused(tamper: Tamper | Partial<LaunchSpec>, status: number, code: string, asSpec = false): Promise<HttpAnswer> {
  const before = await footprint();
  const steps = await launch(asSpec ? (tamper as Partial<LaunchSpec>) : { tamper: tamper as Tamper });
  expect(refusal(steps.launch), steps.launch?.body.slice(0, 500)).toMatchObject({ status, code });
  expect(await footprint(), 'the refused launch created nothing').toBe(before);
  return steps.launch!;
}

describe('refused launches: each answers 401/400 with a stable code and creates nothing', () => {
  it('a forged signature', () => expectRefused({ signWith: 'foreign-key' }, 401, 'OSV_ERR_LTI_BAD_SIGNATURE'));
  it('a kid the LMS does not publish', () => expectRefused({ kid: 'not-a-published-kid' }, 401, 'OSV_ERR_LTI_UNKNOWN_KID'));
  it('no kid in the header, even signed by the LMS’s only key', async () => {
    expect(lms.keys.jwks().keys).toHaveLength(1);
    await expectRefused({ kid: null }, 401, 'OSV_ERR_LTI_KID_MISSING');
  });
  it('alg none', () => expectRefused({ signWith: 'none' }, 401, 'OSV_ERR_LTI_ALGORITHM_REFUSED'));
  it('HS256 keyed with the public key', () => expectRefused({ signWith: 'hs256-public-key' }, 401, 'OSV_ERR_LTI_ALGORITHM_REFUSED'));
  it('another audience', () => expectRefused({ aud: 'someone-else' }, 401, 'OSV_ERR_LTI_WRONG_AUDIENCE'));
  it('several audiences without osv as the authorized party', () => expectRefused({ aud: [client.clientId, 'other'], azp: 'other' }, 401, 'OSV_ERR_LTI_WRONG_AUDIENCE'));
  it('another issuer', () => expectRefused({ iss: 'https://evil.example' }, 401, 'OSV_ERR_LTI_WRONG_ISSUER'));
  it('an expired token', () => expectRefused({ expiresIn: -60, issuedAt: -120 }, 401, 'OSV_ERR_LTI_TOKEN_EXPIRED'));
  it('a token issued long ago', () => expectRefused({ issuedAt: -3600, expiresIn: 600 }, 401, 'OSV_ERR_LTI_TOKEN_EXPIRED'));
  it('iat in the future', () => expectRefused({ issuedAt: 600, expiresIn: 900 }, 401, 'OSV_ERR_LTI_TOKEN_FROM_FUTURE'));
  it('a nonce that differs from the one sent at login', () => expectRefused({ nonce: 'a-nonce-osv-never-sent' }, 401, 'OSV_ERR_LTI_NONCE_MISMATCH'));
  it('an unknown deployment', async () => {
    const page = await expectRefused({ claims: { [`${LTI}deployment_id`]: 'deployment-nobody-registered' } }, 401, 'OSV_ERR_LTI_UNKNOWN_DEPLOYMENT');
    expect(page.body).toContain('deployment-nobody-registered');
  });

  it('missing or wrong required claims, each named', async () => {
    const cases: Array<[Tamper, string]> = [
      [{ omit: [`${LTI}message_type`] }, 'message_type'],
      [{ claims: { [`${LTI}message_type`]: 'LtiSomethingElse' } }, 'message_type'],
      [{ claims: { [`${LTI}version`]: '1.1' } }, 'version'],
      [{ omit: [`${LTI}roles`] }, 'roles'],
      [{ omit: [`${LTI}deployment_id`] }, 'deployment_id'],
      [{ omit: [`${LTI}resource_link`] }, 'resource_link'],
      [{ omit: ['sub'] }, 'sub'],
    ];
    for (const [tamper, claim] of cases) {
      const page = await expectRefused(tamper, 400, 'OSV_ERR_LTI_CLAIMS_INVALID');
      expect(page.body, claim).toContain(claim);
    }
  });

  it('a replayed launch (the same id_token, state and cookie posted twice)', async () => {
    const browser = new LtiLaunchClient();
    const steps = await browser.launch(platform.lti.urls.login, lms.prepareLaunch({ clientId: client.clientId, user: mallory, course }));
    expect(steps.launch?.status).toBe(200);
    const before = await footprint();
    const stateCookie = steps.login.headers.getSetCookie().find((cookie) => cookie.startsWith('osv_lti_'))!.split(';')[0]!;
    const replay = await browser.post(steps.form!.action, steps.form!.fields, { Cookie: stateCookie });
    expect(refusal(replay)).toMatchObject({ status: 401, code: 'OSV_ERR_LTI_NONCE_REPLAYED' });
    expect(await footprint()).toBe(before);
  });

  it('a state osv never issued', async () => {
    const before = await footprint();
    const unknown = await launch({}, { tamperForm: (form) => Object.assign(form, { state: 'state-osv-never-issued' }) });
    expect(refusal(unknown.launch)).toMatchObject({ status: 401, code: 'OSV_ERR_LTI_STATE_MISMATCH' });
    expect(await footprint()).toBe(before);
  });

  it('a forged state cookie value', async () => {
    const browser = new LtiLaunchClient({ blockCookies: true });
    const login = lms.prepareLaunch({ clientId: client.clientId, user: mallory, course });
    const started = await browser.startLogin(platform.lti.urls.login, login, 'POST');
    const authorization = await browser.request(started.headers.get('location')!, { method: 'GET' });
    const form = parseAutoPostForm(authorization.body);
    const answer = await browser.post(form.action, form.fields, { Cookie: `osv_lti_${form.fields.state}=forged-value` });
    expect(refusal(answer)).toMatchObject({ status: 401, code: 'OSV_ERR_LTI_STATE_MISMATCH' });
  });

  it('a missing state cookie: the launch is validated and parked; "open in a new window" completes it once, without a second login at the LMS', async () => {
    const before = await footprint();
    const login = lms.prepareLaunch({ clientId: client.clientId, user: mallory, course });
    const steps = await new LtiLaunchClient({ blockCookies: true }).launch(platform.lti.urls.login, login);
    expect(refusal(steps.launch)).toMatchObject({ status: 401, code: 'OSV_ERR_LTI_STATE_COOKIE_MISSING' });
    const handoff = newWindowForm(steps.launch!);
    expect(handoff.action).toBe(`${platform.url}/lti/launch/continue`);
    expect(steps.launch!.body).not.toContain(login.lti_message_hint!);
    expect(await footprint(), 'nothing recorded until the new window opens').toBe(before);
    // The LMS takes each lti_message_hint once: replaying the login would fail there.
    const replayed = await new LtiLaunchClient().launch(platform.lti.urls.login, login);
    expect(replayed.authorization?.body).toContain('lti_message_hint already used');

    // The new window keeps no cookie of the iframe: the one-time token alone completes the launch.
    const page = await new LtiLaunchClient().post(handoff.action, { handoff: handoff.token });
    expect(page.status, page.body.slice(0, 300)).toBe(200);
    expect(page.body).toContain('data-osv-view="learner"');
    const again = await new LtiLaunchClient().post(handoff.action, { handoff: handoff.token });
    expect(refusal(again)).toMatchObject({ status: 401, code: 'OSV_ERR_LTI_HANDOFF_INVALID' });
  });

  it('a parked launch expires, and a forged handoff token opens nothing', async () => {
    const steps = await launch({}, { blockCookies: true });
    const handoff = newWindowForm(steps.launch!);
    await selectOne(platform.kernel.db, `UPDATE lti_launch_handoffs SET expires_at = now() - interval '1 second' RETURNING 1 AS updated`);
    const before = await footprint();
    const expired = await new LtiLaunchClient().post(handoff.action, { handoff: handoff.token });
    expect(refusal(expired)).toMatchObject({ status: 401, code: 'OSV_ERR_LTI_HANDOFF_INVALID' });
    for (const forged of ['A'.repeat(43), 'not a token', '']) {
      const answer = await new LtiLaunchClient().post(handoff.action, { handoff: forged });
      expect(refusal(answer)).toMatchObject({ status: 401, code: 'OSV_ERR_LTI_HANDOFF_INVALID' });
    }
    expect(await footprint()).toBe(before);
    expect(await selectOne(platform.kernel.db, 'SELECT count(*)::int AS n FROM lti_launch_handoffs')).toEqual({ n: 0 });
  });

  it('a login from an LMS osv does not know, and logins or launches missing their parameters', async () => {
    const browser = new LtiLaunchClient();
    const unknown = await browser.startLogin(platform.lti.urls.login, { iss: 'https://unknown.example', login_hint: 'u', target_link_uri: platform.lti.urls.launch, client_id: 'nope' }, 'GET');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('OSV_ERR_LTI_UNKNOWN_PLATFORM');
    const incomplete = await browser.startLogin(platform.lti.urls.login, { iss: lms.issuer }, 'POST');
    expect(incomplete.status).toBe(400);
    expect(incomplete.body).toContain('OSV_ERR_LTI_BAD_REQUEST');
    const json = await platform.http.post('/lti/launch').set('Accept', 'application/json').type('form').send({ state: 'x' });
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('OSV_ERR_LTI_BAD_REQUEST');
  });

  it('a learner opening the deep-linking picker', async () => {
    await expectRefused({ messageType: 'LtiDeepLinkingRequest' }, 403, 'OSV_ERR_FORBIDDEN', true);
  });

  it('logs every refusal for the tenant admins with its code and the token header', async () => {
    const log = await platform.http.get('/api/v1/lti/launch-log?outcome=failure&limit=200').set('Authorization', acme.admin);
    const codes = new Set(log.body.map((entry: { code: string }) => entry.code));
    for (const code of ['OSV_ERR_LTI_BAD_SIGNATURE', 'OSV_ERR_LTI_UNKNOWN_KID', 'OSV_ERR_LTI_ALGORITHM_REFUSED', 'OSV_ERR_LTI_NONCE_MISMATCH', 'OSV_ERR_LTI_UNKNOWN_DEPLOYMENT']) {
      expect(codes.has(code), code).toBe(true);
    }
    const unknownKid = log.body.find((entry: { code: string }) => entry.code === 'OSV_ERR_LTI_UNKNOWN_KID');
    expect(unknownKid.detail.token).toMatchObject({ alg: 'RS256', kid: 'not-a-published-kid' });
  });
});

describe('oversized and malformed LTI requests: a clear 4xx with the real reason, never a 500', () => {
  const big = (bytes: number) => 'x'.repeat(bytes);

  it('launches with an id_token of 40 KB (an LMS with large custom claims)', async () => {
    const steps = await launch({ custom: { syllabus: big(40_000) } });
    expect(steps.form!.fields.id_token!.length).toBeGreaterThan(40_000);
    expect(steps.launch?.status, steps.launch?.body.slice(0, 300)).toBe(200);
  });

  it('refuses an id_token over 256 KB with 413 and says why', async () => {
    const before = await footprint();
    const steps = await launch({ custom: { syllabus: big(300_000) } });
    expect(refusal(steps.launch)).toMatchObject({ status: 413, code: 'OSV_ERR_LTI_TOKEN_TOO_LARGE' });
    expect(steps.launch!.body).toContain('256 KB');
    expect(await footprint()).toBe(before);
  });

  it('refuses a 1 MB launch body with 413 before reading it', async () => {
    const answer = await platform.http.post('/lti/launch').set('Accept', 'application/json').type('form').send({ id_token: big(1024 * 1024), state: 'abc' });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('OSV_ERR_LTI_TOKEN_TOO_LARGE');
    const page = await platform.http.post('/lti/launch').type('form').send({ id_token: big(1024 * 1024), state: 'abc' });
    expect(refusal({ status: page.status, headers: new Headers(), body: page.text })).toMatchObject({ status: 413, code: 'OSV_ERR_LTI_TOKEN_TOO_LARGE' });
  });

  it('answers 70 KB forms at the login and the launch with a 4xx', async () => {
    const login = await platform.http
      .post('/lti/login')
      .set('Accept', 'application/json')
      .type('form')
      .send({ iss: lms.issuer, login_hint: 'u', target_link_uri: platform.lti.urls.launch, lti_message_hint: big(70_000) });
    expect(login.status).toBe(413);
    expect(login.body.error.code).toBe('OSV_ERR_PAYLOAD_TOO_LARGE');
    const launched = await platform.http.post('/lti/launch').set('Accept', 'application/json').type('form').send({ id_token: big(70_000), state: 'state-osv-never-issued' });
    expect(launched.status).toBe(401);
    expect(launched.body.error.code).toBe('OSV_ERR_LTI_STATE_MISMATCH');
  });

  it('refuses NUL bytes in the login and in the launch state with a 4xx', async () => {
    for (const field of ['login_hint', 'iss', 'client_id', 'lti_message_hint']) {
      const fields: Record<string, string> = { iss: lms.issuer, login_hint: 'user', target_link_uri: platform.lti.urls.launch, client_id: client.clientId, lti_message_hint: 'hint' };
      fields[field] = `${fields[field]}\u0000tail`;
      const answer = await platform.http.post('/lti/login').set('Accept', 'application/json').type('form').send(fields);
      expect(answer.status, field).toBe(400);
      expect(answer.body.error.code).toBe('OSV_ERR_LTI_BAD_REQUEST');
    }
    const launched = await platform.http.post('/lti/launch').set('Accept', 'application/json').type('form').send({ id_token: 'a.b.c', state: 'st\u0000ate' });
    expect(launched.status).toBe(401);
    expect(launched.body.error.code).toBe('OSV_ERR_LTI_STATE_MISMATCH');
  });
});

describe('the launch log shows admins every refusal that can be tied to their tenant', () => {
  interface Entry {
    code: string;
    reason: string;
    registration_id: string | null;
    deployment_id: string | null;
    detail: Record<string, unknown>;
  }
  const failures = async (tenant: Tenancy = acme) =>
    (await platform.http.get('/api/v1/lti/launch-log?outcome=failure&limit=500').set('Authorization', tenant.admin)).body as Entry[];
  const registrationId = async () => (await platform.lti.registrations.list(acme.tenantId)).find((registration) => registration.client_id === client.clientId)!.id;

  it('a forged or unknown state, tied to the LMS its token claims to come from (and saying so)', async () => {
    await launch({}, { tamperForm: (form) => Object.assign(form, { state: 'forged-state-for-the-log' }) });
    const entry = (await failures()).find((candidate) => candidate.code === 'OSV_ERR_LTI_STATE_MISMATCH' && candidate.detail.attributedBy === 'unverified id_token');
    expect(entry?.registration_id).toBe(await registrationId());
  });

  it('an oversized id_token, tied to its login by its state', async () => {
    await launch({ custom: { syllabus: 'y'.repeat(300_000) } });
    const entry = (await failures()).find((candidate) => candidate.code === 'OSV_ERR_LTI_TOKEN_TOO_LARGE');
    expect(entry?.registration_id).toBe(await registrationId());
    const token = entry?.detail.token as { alg: string; bytes: number } | undefined;
    expect(token).toMatchObject({ alg: 'RS256', bytes: expect.any(Number) });
    expect(token!.bytes).toBeGreaterThan(256 * 1024);
  });

  it('refusals at the login: a disabled registration, and a client id the LMS’s registered deployment does not match', async () => {
    const second = await connectLms(platform, lms, acme);
    await platform.http.patch(`/api/v1/lti/registrations/${second.registration.id}`).set('Authorization', acme.admin).send({ status: 'disabled' });
    const disabled = await new LtiLaunchClient().startLogin(platform.lti.urls.login, lms.prepareLaunch({ clientId: second.client.clientId, user: mallory, course }), 'POST');
    expect(disabled.status).toBe(403);
    const mistyped = { ...lms.prepareLaunch({ clientId: client.clientId, user: mallory, course }), client_id: 'mistyped-client-id' };
    const unknown = await new LtiLaunchClient().startLogin(platform.lti.urls.login, mistyped, 'POST');
    expect(unknown.status).toBe(400);
    const entries = await failures();
    expect(entries.find((entry) => entry.code === 'OSV_ERR_LTI_REGISTRATION_DISABLED')).toMatchObject({
      registration_id: second.registration.id,
      detail: { step: 'login', clientId: second.client.clientId },
    });
    expect(entries.find((entry) => entry.code === 'OSV_ERR_LTI_UNKNOWN_PLATFORM')).toMatchObject({
      deployment_id: client.deploymentIds[0],
      detail: { step: 'login', issuer: lms.issuer, clientId: 'mistyped-client-id' },
    });
  });

  it('shows another tenant none of them', async () => {
    const globex = await createTenant(platform.kernel, 'globex-log');
    expect(await failures(globex)).toEqual([]);
  });
});
