import type { Principal } from '../auth/principal.js';
import type { Transaction } from '../db/database.js';

/** A grade for a learner of an LTI resource link, posted to the LMS gradebook by a job (AGS). */
export interface LtiScoreSubmission {
  tenantId: string;
  /** The learner's osv user id (`principal.userId` of their launch token). */
  userId: string;
  /** osv's id of the LTI resource link (see `launchOf`). */
  resourceLinkId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress?: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress?: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  comment?: string;
  /** A gradebook column of the plugin's own (found by tag, created if missing) instead of the link's. */
  lineItem?: { tag: string; label: string };
}

/**
 * LTI services offered to plugins as `ctx.lti` when the LTI module is composed (server/platform.ts);
 * absent otherwise. Implemented by lti/, which core never imports.
 */
export interface LtiPluginService {
  /** Enqueues the grade post (in `transaction` when given); resolves to the job id. */
  submitScore(submission: LtiScoreSubmission, options?: { transaction?: Transaction }): Promise<string>;
  /** The course and resource link a member's access token was issued for by an LTI launch. */
  launchOf(principal: Principal): { contextId?: string; resourceLinkId?: string } | undefined;
}
