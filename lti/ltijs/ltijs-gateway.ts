import './ltijs-egress.js';
import type { KeyObject } from 'node:crypto';
import type { Request, Response } from 'express';
import { type LtijsContextToken, type LtijsIdToken, type LtijsProvider, Provider } from 'ltijs';
import type { Logger } from '../../core/logger.js';
import type { LmsEgress } from '../egress/lms-egress.js';
import type { DeepLinkingSettings } from '../launch/claims.js';
import {
  type AcceptedMessage,
  type ContentItem,
  type LineItem,
  LmsCallError,
  type LtiGateway,
  type RosterMember,
  type Score,
  type ServiceTarget,
} from '../lti-gateway.js';
import type { OsvLtijsStore } from './ltijs-store.js';
import type { RegistrationScope } from './registration-scope.js';

/** ltijs said no; `reason` is its own code (NONCE_ALREADY_RECEIVED, TOKEN_TOO_OLD…). */
export class LtijsRefusal extends Error {
  override name = 'LtijsRefusal';

  constructor(readonly reason: string) {
    super(`ltijs refused the launch: ${reason}`);
  }
}

interface Pending {
  resolve(message: AcceptedMessage): void;
  reject(error: Error): void;
}

export interface LtijsGatewayOptions {
  /** ltijs's own secret (cookie signing, its encrypted collections); derived from the platform key. */
  secret: string;
  store: OsvLtijsStore;
  /** Which registration ltijs works for, call by call. */
  scope: RegistrationScope;
  /** The path osv routes id_token POSTs through (ltijs's app route). */
  launchPath: string;
  tokenMaxAgeSeconds: number;
  serviceTimeoutMs: number;
  /** The policy ltijs's connections to LMSs obey. */
  egress: LmsEgress;
  log: Logger;
}

/**
 * ltijs 5.9.9, mounted in serverless mode: its Express 4 app runs inside osv's Express 5 launch
 * route, after osv's own checks, and answers through callbacks instead of responses.
 */
export class LtijsGateway implements LtiGateway {
  private readonly provider: LtijsProvider;
  private readonly pending = new WeakMap<Response, Pending>();

  constructor(private readonly options: LtijsGatewayOptions) {
    // ltijs exports a single Provider; each kernel needs its own (tests and benchmarks run several).
    this.provider = new Provider.constructor();
    this.provider.setup(
      options.secret,
      { plugin: options.store },
      {
        appRoute: options.launchPath,
        // ltijs's own login, keyset and registration routes are never reached: osv serves those.
        loginRoute: '/lti/ltijs/login',
        keysetRoute: '/lti/ltijs/keys',
        dynRegRoute: '/lti/ltijs/register',
        cors: false,
        // No ltijs session cookie and no redirect: the launch is answered in the id_token POST itself.
        ltiaas: true,
        tokenMaxAge: options.tokenMaxAgeSeconds,
        cookies: { secure: true, sameSite: 'None' },
      },
    );
    const accepted = (messageType: AcceptedMessage['messageType']) => (_token: LtijsIdToken, _req: Request, res: Response) => {
      this.pending.get(res)?.resolve({ messageType });
    };
    const refused = (_req: Request, res: Response) => {
      const err = res.locals.err as { details?: { message?: string } } | undefined;
      this.pending.get(res)?.reject(new LtijsRefusal(err?.details?.message ?? 'UNKNOWN'));
    };
    this.provider.onConnect(accepted('LtiResourceLinkRequest'));
    this.provider.onDeepLinking(accepted('LtiDeepLinkingRequest'));
    this.provider.onInvalidToken(refused);
    this.provider.onSessionTimeout(refused);
    this.provider.onUnregisteredPlatform((_req, res) => this.pending.get(res)?.reject(new LtijsRefusal('UNREGISTERED_PLATFORM')));
    this.provider.onInactivePlatform((_req, res) => this.pending.get(res)?.reject(new LtijsRefusal('PLATFORM_NOT_ACTIVATED')));
  }

  /**
   * What `deploy({ serverless: true })` does, minus the SIGINT handler it installs, which would
   * exit the process in the middle of osv's graceful shutdown.
   */
  async start(): Promise<void> {
    // ltijs-sequelize reports its own migrations with console.info, which would land in the
    // stdout of `osv` commands (their JSON output): route them to osv's log while it sets up.
    const { info, log } = console;
    console.info = console.log = (...args: unknown[]) => this.options.log.debug({ ltijs: args }, 'ltijs-sequelize');
    try {
      await this.options.store.setup();
    } finally {
      Object.assign(console, { info, log });
    }
  }

  async stop(): Promise<void> {
    await this.options.store.Close();
  }

  async acceptLaunch(req: Request, res: Response, key: { registrationId: string; issuer: string; publicKey: KeyObject }): Promise<AcceptedMessage> {
    const requestPrototype = Object.getPrototypeOf(req) as object;
    const responsePrototype = Object.getPrototypeOf(res) as object;
    const state = String((req.body as { state?: unknown }).state);
    const handoff = req as Request & { _body?: boolean; cookies?: object; signedCookies?: object; secret?: string };
    // osv parsed the form already; body-parser 1.x inside ltijs skips a request marked this way.
    handoff._body = true;
    // osv verified its own (partitioned) state cookie; ltijs's cookie check gets the issuer it
    // would have stored, and still compares it with the token's `iss`. (cookie-parser skips a
    // request that has cookies, so it is also given the secret it would have set.)
    handoff.cookies = {};
    handoff.signedCookies = { [`state${state}`]: key.issuer };
    handoff.secret = this.options.secret;
    // Tenants' launch URLs (/lti/tenants/<slug>/launch) reach ltijs's app at the one route it serves.
    const url = req.url;
    req.url = this.options.launchPath;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await this.options.egress.run(() => this.options.scope.run(
        { registrationId: key.registrationId, publicKey: key.publicKey },
        () =>
          new Promise<AcceptedMessage>((resolve, reject) => {
            this.pending.set(res, { resolve, reject });
            // ltijs answers through a callback; should it never call one, the launch still ends.
            timer = setTimeout(() => reject(new LtijsRefusal('NO_ANSWER')), this.options.serviceTimeoutMs);
            this.provider.app(req, res, (error?: unknown) =>
              reject(error instanceof Error ? error : new LtijsRefusal('NOT_ACCEPTED')),
            );
          }),
      ));
    } finally {
      clearTimeout(timer);
      this.pending.delete(res);
      req.url = url;
      // The Express 4 app swapped in its own request/response prototypes; osv answers with Express 5's.
      Object.setPrototypeOf(req, requestPrototype);
      Object.setPrototypeOf(res, responsePrototype);
    }
  }

  deepLinkingResponse(target: ServiceTarget, settings: DeepLinkingSettings, items: ContentItem[]): Promise<string> {
    const context: LtijsContextToken = {
      deepLinkingSettings: {
        deep_link_return_url: settings.returnUrl,
        accept_types: settings.acceptTypes,
        accept_multiple: settings.acceptMultiple,
        ...(settings.data === undefined ? {} : { data: settings.data }),
      },
    };
    return this.call(target, 'deep-linking response', () =>
      this.provider.DeepLinking.createDeepLinkingMessage(this.idToken(target, context), items as unknown as Array<Record<string, unknown>>),
    );
  }

  async submitScore(target: ServiceTarget, lineItemUrl: string, score: Score): Promise<void> {
    await this.call(target, 'score', () => this.provider.Grade.submitScore(this.idToken(target, {}), lineItemUrl, { ...score }));
  }

  async findLineItem(target: ServiceTarget, lineItemsUrl: string, query: { resourceLinkId?: string; tag?: string }): Promise<LineItem | undefined> {
    const context: LtijsContextToken = { endpoint: { lineitems: lineItemsUrl }, resource: query.resourceLinkId ? { id: query.resourceLinkId } : undefined };
    const { lineItems } = await this.call(target, 'line items', () =>
      this.provider.Grade.getLineItems(this.idToken(target, context), { resourceLinkId: query.resourceLinkId !== undefined, tag: query.tag }),
    );
    const found = lineItems.find((item) => (query.tag === undefined || item.tag === query.tag) && typeof item.id === 'string');
    return found && { id: found.id, label: found.label, scoreMaximum: found.scoreMaximum, resourceLinkId: found.resourceLinkId, tag: found.tag };
  }

  async createLineItem(target: ServiceTarget, lineItemsUrl: string, lineItem: LineItem): Promise<LineItem> {
    const created = await this.call(target, 'line item creation', () =>
      this.provider.Grade.createLineItem(this.idToken(target, { endpoint: { lineitems: lineItemsUrl } }), {
        label: lineItem.label,
        scoreMaximum: lineItem.scoreMaximum,
        ...(lineItem.resourceLinkId ? { resourceLinkId: lineItem.resourceLinkId } : {}),
        ...(lineItem.tag ? { tag: lineItem.tag } : {}),
      }),
    );
    return { ...lineItem, id: created.id };
  }

  async listMembers(target: ServiceTarget, membershipsUrl: string): Promise<RosterMember[]> {
    const result = await this.call(target, 'roster', () =>
      this.provider.NamesAndRoles.getMembers(this.idToken(target, { namesRoles: { context_memberships_url: membershipsUrl } }), { pages: false }),
    );
    return result.members.flatMap((member) => {
      if (typeof member.user_id !== 'string') return [];
      const status = member.status === 'Inactive' || member.status === 'Deleted' ? member.status : 'Active';
      const name = typeof member.name === 'string' ? member.name : [member.given_name, member.family_name].filter((part) => typeof part === 'string').join(' ');
      return [
        {
          userId: member.user_id,
          roles: Array.isArray(member.roles) ? member.roles.map(String) : [],
          status,
          name: name || undefined,
          email: typeof member.email === 'string' ? member.email : undefined,
        },
      ];
    });
  }

  private idToken(target: ServiceTarget, platformContext: LtijsContextToken): LtijsIdToken {
    return { iss: target.issuer, clientId: target.clientId, deploymentId: target.deploymentId, user: '', platformContext };
  }

  /** ltijs's HTTP client has no time limit and throws got errors: bound it and name the failure. */
  private async call<T>(target: ServiceTarget, what: string, work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LmsCallError(`${what}: the LMS did not answer in time`, undefined, undefined)), this.options.serviceTimeoutMs);
    });
    try {
      return await Promise.race([this.options.egress.run(() => this.options.scope.run({ registrationId: target.registrationId }, work)), timeout]);
    } catch (error) {
      if (error instanceof LmsCallError) throw error;
      const response = (error as { response?: { statusCode?: number; body?: unknown } }).response;
      const body = typeof response?.body === 'string' ? response.body : response?.body === undefined ? undefined : JSON.stringify(response.body);
      throw new LmsCallError(`${what}: ${(error as Error).message}`, response?.statusCode, body?.slice(0, 2000));
    } finally {
      clearTimeout(timer);
    }
  }
}
