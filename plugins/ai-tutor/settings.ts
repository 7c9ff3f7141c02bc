import { z } from 'zod';

/** Per-tenant settings of the tutor (`osv plugins configure ai-tutor --tenant … --set key=value`). */
export const tutorSettingsSchema = z.object({
  /** Largest material an instructor may upload; bigger uploads stop while streaming with a 413. */
  maxUploadMegabytes: z.number().int().min(1).max(1024).default(25),
  /** Questions per calendar month (UTC) before asking answers 429. */
  questionsPerMonth: z.number().int().min(0).default(10_000),
  /** Model tokens (prompt + completion) per month; once spent, answers are extractive and flagged degraded. */
  modelTokensPerMonth: z.number().int().min(0).default(2_000_000),
  /** Visitors of a site embedding the tutor with a publishable key may ask without signing in. */
  allowAnonymousQuestions: z.boolean().default(false),
  /** How long an answer is reused for the same question on unchanged materials. */
  answerCacheSeconds: z.number().int().min(0).max(7 * 24 * 3600).default(3600),
});

export type TutorSettings = z.output<typeof tutorSettingsSchema>;

export function tutorSettings(raw: Record<string, unknown>): TutorSettings {
  return tutorSettingsSchema.parse(raw);
}
