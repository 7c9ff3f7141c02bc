import type { MemberEnrollment } from '../../../widgets/src/api-types.js';
import type { PluginContext } from '../../../core/plugin-api.js';
import { SeatLedger } from './seat-ledger.js';

/** Where a member stands in a course: enrolled, waiting (and where), paying for a held seat, or none of these. */
export function memberEnrollment(ctx: PluginContext, tenantId: string, courseId: string, userId: string): Promise<MemberEnrollment> {
  return ctx.db.transaction(async (tx) => {
    const ledger = new SeatLedger(ctx, tenantId, tx);
    const enrollment = await ledger.activeEnrollment(courseId, userId);
    if (enrollment?.status === 'enrolled') return { status: 'enrolled', enrollmentId: enrollment.id };
    // A held seat (their own checkout, or one offered from the waitlist) waits for their payment.
    const hold = await ledger.activeHold(courseId, userId);
    if (hold && new Date(hold.expires_at).getTime() > Date.now()) return { status: 'pending-payment', holdExpiresAt: new Date(hold.expires_at).toISOString() };
    if (enrollment?.status === 'waitlisted') return { status: 'waitlisted', enrollmentId: enrollment.id, position: await ledger.waitlistPosition(enrollment) };
    return { status: 'none' };
  });
}
