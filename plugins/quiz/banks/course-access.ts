import { OsvError, type PluginContext, type Principal } from '../../../core/plugin-api.js';

/**
 * A member who came through an LTI launch reaches only the course (LTI context) they launched from;
 * other courses answer 404 as if they did not exist.
 */
export function assertCourseAccess(ctx: PluginContext, principal: Principal, courseId: string): void {
  const launchedCourse = ctx.lti?.launchOf(principal)?.contextId;
  if (launchedCourse && launchedCourse !== courseId) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course');
}

/** Attempts belong to end users: a member's access token (users.id), not an API key or console account. */
export function learnerOf(principal: Principal | undefined): { tenantId: string; userId: string } {
  if (principal?.kind !== 'member' || !principal.userId) {
    throw new OsvError('OSV_ERR_FORBIDDEN', "Taking a quiz needs a member's access token (from an LTI launch or POST /api/v1/auth/embed-token)");
  }
  return { tenantId: principal.tenantId, userId: principal.userId };
}
