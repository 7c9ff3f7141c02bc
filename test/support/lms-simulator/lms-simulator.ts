import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { JWTPayload } from 'jose';
import { signIdToken } from './id-token.js';
import { type Course, type LaunchSpec, newCourse, newId, newUser, roleUris, type SimUser, type ToolClient } from './lms-model.js';
import { PlatformKeys } from './platform-keys.js';
import { installRegistrationEndpoints, type RegistrationSettings } from './registration-endpoints.js';
import { installServiceEndpoints, type ServiceRecords } from './service-endpoints.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

/** An injected failure: the next `times` requests whose path matches answer `status` with `body`. */
export interface Failure {
  path: RegExp;
  status: number;
  body: string;
  times: number;
}

/**
 * A Moodle-like LMS over real HTTP for tests and benchmarks: its own RSA keys and JWKS, an OIDC
 * authorization endpoint that signs id_tokens, a token endpoint that checks the tool's client
 * assertion against the tool's JWKS, AGS and NRPS endpoints that record what they get, a
 * deep-linking return URL, and IMS Dynamic Registration endpoints.
 */
export class LmsSimulator {
  readonly clients = new Map<string, ToolClient>();
  readonly courses = new Map<string, Course>();
  readonly records: ServiceRecords = { tokenRequests: [], scores: [], lineItemsCreated: [], rosterRequests: [], deepLinkResponses: [], registrations: [] };
  readonly failures: Failure[] = [];
  readonly registration: RegistrationSettings = { token: 'registration-token-1', product: 'moodle', messages: ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] };
  /** How many times the JWKS was fetched. */
  jwksFetches = 0;
  private readonly launches = new Map<string, LaunchSpec>();
  private readonly usedHints = new Set<string>();

  private constructor(
    readonly keys: PlatformKeys,
    private readonly server: http.Server,
    readonly url: string,
    private readonly claimedIssuer?: string,
  ) {}

  /** `issuer`: another LMS's issuer, as Canvas instances share Instructure's (default: its URL). */
  static async start(options: { host?: string; issuer?: string } = {}): Promise<LmsSimulator> {
    const keys = await PlatformKeys.create();
    const app = express();
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const simulator = new LmsSimulator(keys, server, `http://${options.host ?? '127.0.0.1'}:${port}`, options.issuer);
    simulator.install(app);
    return simulator;
  }

  /** Moodle's issuer is its site URL. */
  get issuer(): string {
    return this.claimedIssuer ?? this.url;
  }

  get endpoints() {
    return {
      issuer: this.issuer,
      authorizationEndpoint: `${this.url}/auth`,
      tokenEndpoint: `${this.url}/token`,
      jwksUri: `${this.url}/jwks`,
      openIdConfiguration: `${this.url}/.well-known/openid-configuration`,
    };
  }

  /** The tool as an LMS admin would add it by hand. */
  addClient(tool: { jwksUrl: string; loginUrl: string; launchUrl: string; deploymentIds?: string[]; clientId?: string }): ToolClient {
    const client: ToolClient = {
      clientId: tool.clientId ?? newId('client'),
      deploymentIds: tool.deploymentIds ?? [newId('deployment')],
      redirectUris: [tool.launchUrl],
      jwksUrl: tool.jwksUrl,
      loginUrl: tool.loginUrl,
      scopes: [
        'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
        'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
        'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
        'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
      ],
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  addCourse(title = 'Biology 101'): Course {
    const course = newCourse(title);
    this.courses.set(course.id, course);
    return course;
  }

  addUser(name = 'Ada Learner'): SimUser {
    return newUser(name);
  }

  enroll(course: Course, user: SimUser, role: LaunchSpec['role'] = 'Learner', status: 'Active' | 'Inactive' = 'Active'): void {
    course.members.set(user.id, { user, role: role ?? 'Learner', status });
  }

  /** The login initiation the LMS would send the tool for this launch (its query/form fields). */
  prepareLaunch(spec: LaunchSpec): Record<string, string> {
    const hint = newId('launch');
    this.launches.set(hint, spec);
    const client = this.clients.get(spec.clientId)!;
    return {
      iss: this.issuer,
      login_hint: spec.user.id,
      target_link_uri: client.redirectUris[0]!,
      lti_message_hint: hint,
      client_id: client.clientId,
      lti_deployment_id: spec.deploymentId ?? client.deploymentIds[0]!,
    };
  }

  /** A course page with the tool in an iframe, as Moodle embeds it (for browser tests). */
  coursePageUrl(login: Record<string, string>): string {
    return `${this.url}/course-page?${new URLSearchParams(login)}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answers an injected failure, if one matches. */
  takeFailure(path: string): Failure | undefined {
    const failure = this.failures.find((candidate) => candidate.times > 0 && candidate.path.test(path));
    if (failure) failure.times -= 1;
    return failure;
  }

  private install(app: express.Express): void {
    app.use(express.urlencoded({ extended: false }));
    app.use((req, res, next) => {
      const failure = this.takeFailure(req.path);
      if (failure) return void res.status(failure.status).type('text/plain').send(failure.body);
      next();
    });
    app.get('/jwks', (_req, res) => {
      this.jwksFetches += 1;
      res.json(this.keys.jwks());
    });
    app.all('/auth', async (req, res) => {
      const params = { ...(req.query as Record<string, string>), ...((req.body as Record<string, string>) ?? {}) };
      const problem = this.checkAuthRequest(params);
      if (problem) return void res.status(400).type('text/plain').send(problem);
      const spec = this.launches.get(params.lti_message_hint!)!;
      const idToken = await signIdToken(this.keys.current(), this.claims(spec, params.nonce!), spec.tamper);
      res.type('html').send(autoPostForm(params.redirect_uri!, { id_token: idToken, state: params.state! }));
    });
    app.get('/course-page', (req, res) => {
      const login = new URLSearchParams(req.query as Record<string, string>);
      const client = this.clients.get(login.get('client_id') ?? '');
      res.type('html').send(`<!doctype html><title>Course</title><h1>Course page</h1>
        <iframe id="tool" name="tool" width="900" height="600" src="${client?.loginUrl}?${login}"></iframe>`);
    });
    installServiceEndpoints(app, this);
    installRegistrationEndpoints(app, this);
  }

  private checkAuthRequest(params: Record<string, string | undefined>): string | undefined {
    if (params.scope !== 'openid' || params.response_type !== 'id_token') return 'invalid_request: scope/response_type';
    if (params.response_mode !== 'form_post' || params.prompt !== 'none') return 'invalid_request: response_mode/prompt';
    if (!params.nonce || !params.state) return 'invalid_request: nonce and state are required';
    const client = this.clients.get(params.client_id ?? '');
    if (!client) return 'unauthorized_client';
    if (!client.redirectUris.includes(params.redirect_uri ?? '')) return 'invalid_request: redirect_uri is not registered';
    const spec = this.launches.get(params.lti_message_hint ?? '');
    if (!spec || spec.user.id !== params.login_hint) return 'login_required';
    // Moodle keeps the launch its lti_message_hint names in the session, for one use.
    if (this.usedHints.has(params.lti_message_hint!)) return 'invalid_request: lti_message_hint already used';
    this.usedHints.add(params.lti_message_hint!);
    return undefined;
  }

  /** The id_token claims Moodle 4.5 sends for this launch. */
  claims(spec: LaunchSpec, nonce: string): JWTPayload {
    const client = this.clients.get(spec.clientId)!;
    const course = spec.course;
    const role = spec.role ?? course?.members.get(spec.user.id)?.role ?? 'Learner';
    const messageType = spec.messageType ?? 'LtiResourceLinkRequest';
    const services = spec.services ?? Boolean(course);
    const claims: JWTPayload = {
      iss: this.issuer,
      aud: client.clientId,
      sub: spec.user.id,
      nonce,
      name: spec.user.name,
      given_name: spec.user.name.split(' ')[0],
      family_name: spec.user.name.split(' ').slice(1).join(' '),
      email: spec.user.email,
      [`${LTI}deployment_id`]: spec.deploymentId ?? client.deploymentIds[0],
      [`${LTI}message_type`]: messageType,
      [`${LTI}version`]: '1.3.0',
      [`${LTI}target_link_uri`]: client.redirectUris[0],
      [`${LTI}roles`]: roleUris(role),
      [`${LTI}tool_platform`]: { product_family_code: 'moodle', version: '2024100700', name: 'Simulated Moodle' },
      [`${LTI}launch_presentation`]: { document_target: 'iframe', return_url: `${this.url}/course/return` },
      [`${LTI}custom`]: spec.custom ?? {},
    };
    if (course) claims[`${LTI}context`] = { id: course.id, label: course.label, title: course.title, type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] };
    if (messageType === 'LtiResourceLinkRequest') {
      const link = spec.resourceLink ?? { id: newId('link'), title: 'Open Study Volt' };
      claims[`${LTI}resource_link`] = { id: link.id, title: link.title ?? 'Open Study Volt' };
      if (course && services) {
        const ags: Record<string, unknown> = { scope: client.scopes.filter((scope) => scope.includes('lti-ags')), lineitems: `${this.url}/ags/${course.id}/lineitems` };
        if (spec.gradable) ags.lineitem = this.linkLineItem(course, link.id, link.title ?? 'Open Study Volt');
        // Moodle 4.5: once the tool has created a column for a link that had none, every later
        // launch of that link carries an empty `lineitem`.
        else if (this.toolCreatedColumn(course, link.id)) ags.lineitem = '';
        claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] = ags;
      }
    } else {
      claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
        deep_link_return_url: `${this.url}/deep-link-return`,
        accept_types: spec.deepLinking?.acceptTypes ?? ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_multiple: spec.deepLinking?.acceptMultiple ?? true,
        ...(spec.deepLinking?.data ? { data: spec.deepLinking.data } : {}),
      };
    }
    if (course && services) {
      claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] = {
        context_memberships_url: `${this.url}/nrps/${course.id}/memberships`,
        service_versions: ['1.0', '2.0'],
      };
    }
    return claims;
  }

  private toolCreatedColumn(course: Course, resourceLinkId: string): boolean {
    return this.records.lineItemsCreated.some((item) => item.resourceLinkId === resourceLinkId && course.lineItems.has(item.id));
  }

  private linkLineItem(course: Course, resourceLinkId: string, label: string): string {
    const existing = [...course.lineItems.values()].find((item) => item.resourceLinkId === resourceLinkId && !item.tag);
    if (existing) return existing.id;
    const id = `${this.url}/ags/${course.id}/lineitems/${newId('item')}`;
    course.lineItems.set(id, { id, label, scoreMaximum: 100, resourceLinkId });
    return id;
  }
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** What Moodle sends the browser after authorization: a form that posts itself to the tool. */
export function autoPostForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeAttribute(value)}">`)
    .join('');
  return `<!doctype html><form id="lti" method="post" action="${escapeAttribute(action)}">${inputs}</form><script>document.getElementById('lti').submit()</script>`;
}
