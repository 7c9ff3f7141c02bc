import { z } from 'zod';

export const enrollmentSettingsSchema = z.object({
  /** How long a seat is held while the learner pays (Stripe closes the session a little earlier). */
  holdMinutes: z.number().int().min(32).max(1440).default(35),
  /** How long a seat offered to a promoted waitlisted learner of a paid course stays theirs. */
  offerHours: z.number().int().min(1).max(168).default(24),
  /** What a refund does to the enrollment it paid for. */
  refundPolicy: z.enum(['cancel-on-full-refund', 'cancel-on-any-refund', 'keep-enrollment']).default('cancel-on-full-refund'),
});

export type EnrollmentSettings = z.infer<typeof enrollmentSettingsSchema>;

/** Stored settings with defaults for what the tenant never set. */
export function enrollmentSettings(stored: unknown): EnrollmentSettings {
  return enrollmentSettingsSchema.parse(stored ?? {});
}
