import type { KeyObject } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DeepLinkingSettings } from './launch/claims.js';

/**
 * osv's view of an LTI 1.3 engine. ltijs implements it today (lti/ltijs/); swapping in ltijs 6/7
 * or another library touches that folder only. Registrations, deployments and tool keys are osv's
 * own tables: the engine reads them, it does not own them.
 */
export interface LtiGateway {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Runs the id_token POST through the engine's own validation, after osv's checks passed.
   * `key` names the registration the launch belongs to and the platform key osv verified the
   * token with, so the engine fetches no key.
   */
  acceptLaunch(req: Request, res: Response, key: { registrationId: string; issuer: string; publicKey: KeyObject }): Promise<AcceptedMessage>;
  /** The signed LtiDeepLinkingResponse JWT to post back to the LMS. */
  deepLinkingResponse(target: ServiceTarget, settings: DeepLinkingSettings, items: ContentItem[]): Promise<string>;
  submitScore(target: ServiceTarget, lineItemUrl: string, score: Score): Promise<void>;
  findLineItem(target: ServiceTarget, lineItemsUrl: string, query: { resourceLinkId?: string; tag?: string }): Promise<LineItem | undefined>;
  createLineItem(target: ServiceTarget, lineItemsUrl: string, lineItem: LineItem): Promise<LineItem>;
  /** Every member of the course, all pages. */
  listMembers(target: ServiceTarget, membershipsUrl: string): Promise<RosterMember[]>;
}

export interface AcceptedMessage {
  messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
}

/** One registration of one LMS, seen from a service call. */
export interface ServiceTarget {
  /** Two tenants may register the same issuer and client id: the call is made for this registration. */
  registrationId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
}

/** An LTI Deep Linking content item (`ltiResourceLink`). */
export interface ContentItem {
  type: 'ltiResourceLink';
  title: string;
  text?: string;
  url: string;
  custom?: Record<string, string>;
  /** Asks the LMS to create a gradebook column for the link (LTI Deep Linking 2.0 with AGS). */
  lineItem?: { label: string; scoreMaximum: number; resourceId: string; tag: string };
}

export interface Score {
  /** The LMS's user id (the id_token `sub`). */
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  comment?: string;
}

export interface LineItem {
  id?: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  tag?: string;
}

export interface RosterMember {
  userId: string;
  roles: string[];
  status: 'Active' | 'Inactive' | 'Deleted';
  name?: string;
  email?: string;
}

/** A call to an LMS service that failed; `definitive` failures are not worth retrying. */
export class LmsCallError extends Error {
  override name = 'LmsCallError';

  constructor(
    message: string,
    readonly status: number | undefined,
    readonly body: string | undefined,
  ) {
    super(message);
  }

  /** 4xx other than 408/429: the LMS understood and refused; asking again gets the same answer. */
  get definitive(): boolean {
    return this.status !== undefined && this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}
