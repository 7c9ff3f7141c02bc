import { z } from 'zod';
import type { Transaction } from '../../core/db/database.js';
import type { EventBus } from '../../core/events/event-bus.js';
import type { JobRecord } from '../../core/jobs/job-types.js';

export const MEMBERSHIP_EVENT_JOB = 'lti:membership-event';

const payloadSchema = z.object({ event: z.enum(['lti.membership.added', 'lti.membership.removed']), payload: z.record(z.string(), z.unknown()) });

/** Emits a membership event recorded by a launch, once the launch has committed. */
export function membershipEventJob(events: EventBus) {
  return async (job: JobRecord, tx: Transaction): Promise<void> => {
    const parsed = payloadSchema.safeParse(job.payload);
    if (!parsed.success || !job.tenantId) return;
    await events.emit(parsed.data.event, parsed.data.payload, { tenantId: job.tenantId, transaction: tx });
  };
}
