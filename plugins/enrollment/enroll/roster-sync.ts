import { z } from 'zod';
import type { PluginContext, Transaction } from '../../../core/plugin-api.js';
import { type CourseRow, TABLES } from '../rows.js';
import { enrollmentSettings } from '../settings.js';
import { SeatLedger } from './seat-ledger.js';

/**
 * `lti.membership.added|removed` from the LTI module's roster sync (NRPS). Parsed tolerantly: only
 * userId and contextId are required; a missing role counts as a learner.
 */
const membership = z.looseObject({
  userId: z.uuid(),
  contextId: z.string().min(1),
  role: z.unknown().optional(),
});

/** LTI/LIS roles come as short names or URIs (…/membership#Learner); instructors are not enrolled. */
export function isLearnerRole(role: unknown): boolean {
  const roles = (Array.isArray(role) ? role : [role]).filter((value): value is string => typeof value === 'string');
  if (roles.length === 0) return true;
  return roles.some((value) => /(learner|student)$/i.test(value.split(/[#/]/).pop() ?? value));
}

/**
 * Roster enrollments follow the institution's roster: they need no payment and take no catalog
 * seat (the seat limit is for the public catalog), and removal from the roster cancels only them.
 */
export class RosterSync {
  constructor(private readonly ctx: PluginContext) {}

  async added(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const member = membership.safeParse(payload);
    if (!member.success || !isLearnerRole(member.data.role)) return;
    const ledger = new SeatLedger(this.ctx, tenantId, tx);
    for (const linked of await this.coursesOf(tenantId, member.data.contextId, tx)) {
      const course = await ledger.lockCourse(linked.id);
      if (!course) continue;
      const existing = await ledger.activeEnrollment(course.id, member.data.userId);
      if (existing?.status === 'enrolled') continue;
      await ledger.enroll(course, member.data.userId, { source: 'lti', locale: existing?.locale ?? null, takeSeat: false, countsSeat: false });
    }
  }

  async removed(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const member = membership.safeParse(payload);
    if (!member.success) return;
    const { offerHours } = enrollmentSettings(await this.ctx.settings(tenantId, tx));
    const ledger = new SeatLedger(this.ctx, tenantId, tx);
    for (const linked of await this.coursesOf(tenantId, member.data.contextId, tx)) {
      const course = await ledger.lockCourse(linked.id);
      const existing = course && (await ledger.activeEnrollment(course.id, member.data.userId));
      if (course && existing?.status === 'enrolled' && existing.source === 'lti') await ledger.cancel(course, existing, 'roster', null, offerHours);
    }
  }

  private coursesOf(tenantId: string, contextId: string, tx: Transaction): Promise<Pick<CourseRow, 'id'>[]> {
    return this.ctx.db
      .forTenant(tenantId)
      .query<Pick<CourseRow, 'id'>>(`SELECT id FROM ${TABLES.courses} WHERE tenant_id = $1 AND lti_context_id = $2 ORDER BY id`, [contextId], tx);
  }
}
