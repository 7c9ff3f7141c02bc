import { z } from 'zod';
import { OsvError, type PluginContext, type Principal } from '../../core/plugin-api.js';

/** Tutor courses are named by the caller (a site's own course id) or by the LTI launch. */
export const courseIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'must be 1-200 letters, digits, dots, colons, underscores or hyphens');

/**
 * The course a request acts on. A member who came through an LTI launch acts on the launch's course
 * (osv's id of the LMS context, the one enrollment links courses with): no mapping to set up, and no
 * reaching into another course.
 */
export function resolveCourse(ctx: PluginContext, principal: Principal, requested: string | undefined): string {
  const launched = ctx.lti?.launchOf(principal)?.contextId;
  if (launched) {
    if (requested && requested !== launched) {
      throw new OsvError('OSV_ERR_FORBIDDEN', 'This LTI launch is for another course; open the tutor from that course');
    }
    return launched;
  }
  if (!requested) {
    throw new OsvError('OSV_ERR_VALIDATION', 'courseId is required (the id of the course whose materials the tutor answers from)', [
      { field: 'courseId', issue: 'required' },
    ]);
  }
  const parsed = courseIdSchema.safeParse(requested);
  if (!parsed.success) throw new OsvError('OSV_ERR_VALIDATION', `courseId ${parsed.error.issues[0]!.message}`, [{ field: 'courseId', issue: parsed.error.issues[0]!.message }]);
  return parsed.data;
}
