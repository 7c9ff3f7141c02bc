/**
 * The part of ltijs 5.9.9 and ltijs-sequelize 2.4.4 that osv uses. Neither ships types for 5.x
 * (`@types/ltijs` describes 4.x), so these are written from their sources (node_modules/ltijs/dist).
 */
declare module 'ltijs' {
  import type { Request, Response, NextFunction, RequestHandler } from 'express';

  /** A row of one of ltijs's collections, as its database plugin stores it. */
  export type LtijsItem = Record<string, unknown>;

  /** The database plugin contract ltijs calls (`setup(…, { plugin })`); ltijs-sequelize implements it. */
  export interface LtijsDatabase {
    setup(): Promise<boolean>;
    Close(): Promise<boolean>;
    /** `false` when nothing matches; items of encrypted collections come back decrypted. */
    Get(encryptionKey: string | false, table: string, info?: LtijsItem): Promise<LtijsItem[] | false>;
    Insert(encryptionKey: string | false, table: string, item: LtijsItem, index?: LtijsItem): Promise<boolean>;
    Replace(encryptionKey: string | false, table: string, info: LtijsItem, item: LtijsItem, index?: LtijsItem): Promise<boolean>;
    Modify(encryptionKey: string | false, table: string, info: LtijsItem, modification: LtijsItem): Promise<boolean>;
    Delete(table: string, info: LtijsItem): Promise<boolean>;
  }

  /** The platform half of an id token as ltijs hands it to its callbacks and services. */
  export interface LtijsIdToken {
    iss: string;
    user: string;
    clientId: string;
    deploymentId: string;
    platformId?: string;
    platformContext: LtijsContextToken;
    [claim: string]: unknown;
  }

  export interface LtijsContextToken {
    contextId?: string;
    messageType?: string;
    resource?: { id: string; title?: string };
    endpoint?: { scope?: string[]; lineitems?: string; lineitem?: string };
    namesRoles?: { context_memberships_url: string; service_versions?: string[] };
    deepLinkingSettings?: {
      deep_link_return_url: string;
      accept_types: string[];
      accept_multiple?: boolean | string;
      data?: string;
      [setting: string]: unknown;
    };
    [claim: string]: unknown;
  }

  export interface LtijsSetupOptions {
    appRoute?: string;
    loginRoute?: string;
    keysetRoute?: string;
    dynRegRoute?: string;
    cors?: boolean;
    /** No session cookie and no redirect after the launch: the app route runs in the id_token POST itself. */
    ltiaas?: boolean;
    devMode?: boolean;
    /** Seconds an id_token may be old (by `iat`); false disables the check. */
    tokenMaxAge?: number | false;
    cookies?: { secure?: boolean; sameSite?: string; domain?: string };
  }

  export type LtijsConnectCallback = (token: LtijsIdToken, req: Request, res: Response, next: NextFunction) => unknown;
  export type LtijsErrorCallback = (req: Request, res: Response) => unknown;

  export interface LtijsScore {
    userId?: string;
    scoreGiven?: number;
    scoreMaximum?: number;
    activityProgress: string;
    gradingProgress: string;
    comment?: string;
    timestamp?: string;
  }

  export interface LtijsLineItem {
    id?: string;
    label: string;
    scoreMaximum: number;
    resourceLinkId?: string;
    resourceId?: string;
    tag?: string;
  }

  export interface LtijsMembers {
    id?: string;
    context?: { id: string; title?: string };
    members: Array<Record<string, unknown>>;
    next?: string;
  }

  export interface LtijsProvider {
    /** The ltijs Express 4 app: mounted (serverless) under osv's Express 5 app. */
    app: RequestHandler;
    setup(encryptionKey: string, database: { plugin: LtijsDatabase }, options: LtijsSetupOptions): LtijsProvider;
    /** Opens the database (and listens unless serverless); installs a SIGINT handler that exits the process. */
    deploy(options: { serverless?: boolean; silent?: boolean; port?: number }): Promise<boolean>;
    /** Stores a platform in ltijs's own tables with a new 4096-bit key pair (osv keeps its own registrations). */
    registerPlatform(platform: {
      url: string;
      name: string;
      clientId: string;
      authenticationEndpoint: string;
      accesstokenEndpoint: string;
      authConfig: { method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY'; key: string };
    }): Promise<unknown>;
    onConnect(callback: LtijsConnectCallback): true;
    onDeepLinking(callback: LtijsConnectCallback): true;
    onInvalidToken(callback: LtijsErrorCallback): true;
    onSessionTimeout(callback: LtijsErrorCallback): true;
    onUnregisteredPlatform(callback: LtijsErrorCallback): true;
    onInactivePlatform(callback: LtijsErrorCallback): true;
    Database: LtijsDatabase;
    Grade: {
      submitScore(idtoken: LtijsIdToken, lineItemId: string, score: LtijsScore): Promise<LtijsScore>;
      getLineItems(
        idtoken: LtijsIdToken,
        options?: { resourceLinkId?: boolean; tag?: string; resourceId?: string; label?: string; limit?: number },
      ): Promise<{ lineItems: LtijsLineItem[]; next?: string }>;
      createLineItem(idtoken: LtijsIdToken, lineItem: LtijsLineItem, options?: { resourceLinkId?: boolean }): Promise<LtijsLineItem>;
    };
    NamesAndRoles: {
      getMembers(idtoken: LtijsIdToken, options?: { pages?: number | false; role?: string; limit?: number }): Promise<LtijsMembers>;
    };
    DeepLinking: {
      createDeepLinkingMessage(
        idtoken: LtijsIdToken,
        contentItems: Array<Record<string, unknown>>,
        options?: { message?: string; log?: string },
      ): Promise<string>;
    };
  }

  /** ltijs exports one instance; `Provider.constructor` builds independent ones (one per kernel). */
  export const Provider: LtijsProvider & { constructor: new () => LtijsProvider };
}

declare module 'ltijs-sequelize' {
  import type { LtijsDatabase } from 'ltijs';
  import type { Options } from 'sequelize';

  class LtijsSequelize implements LtijsDatabase {
    constructor(database: string, user: string | undefined, password: string | undefined, options: Options);
    setup(): Promise<boolean>;
    Close(): Promise<boolean>;
    Get: LtijsDatabase['Get'];
    Insert: LtijsDatabase['Insert'];
    Replace: LtijsDatabase['Replace'];
    Modify: LtijsDatabase['Modify'];
    Delete: LtijsDatabase['Delete'];
  }
  export = LtijsSequelize;
}
