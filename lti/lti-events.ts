import type { MemberRole } from '../core/tenancy/users.js';

/**
 * `lti.membership.added` / `lti.membership.removed`: someone joined or left a course, seen at a
 * launch or in a roster sync (NRPS). The enrollment plugin consumes them.
 */
export interface MembershipEvent {
  /** osv's id of the course (lti_contexts.id; listed by GET /api/v1/lti/contexts). */
  contextId: string;
  /** osv's user id. */
  userId: string;
  role: MemberRole;
  /** The LTI roles as the LMS sent them. */
  roles: string[];
  source: 'launch' | 'roster';
  /** The same course and user as the LMS names them. */
  lms: { issuer: string; contextId: string; userId: string };
}

declare module '../core/plugin-api.js' {
  interface EventMap {
    'lti.membership.added': MembershipEvent;
    'lti.membership.removed': MembershipEvent;
  }
}
