import { z } from 'zod';

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export const emailSettingsSchema = z.object({
  /** Without it, messages are kept in the dev outbox (GET /api/v1/plugins/email/outbox) instead of sent. */
  sendgridApiKey: z.string().regex(/^SG\.[A-Za-z0-9_.-]+$/, 'must be a SendGrid API key (SG.…)').optional(),
  fromEmail: z.email().default('no-reply@osv.local'),
  fromName: z.string().min(1).max(100).default('Open Study Volt'),
  /** For learners who did not say which language they read. */
  defaultLocale: z.enum(LOCALES).default('en'),
});

export type EmailSettings = z.infer<typeof emailSettingsSchema>;

export function emailSettings(stored: unknown): EmailSettings {
  return emailSettingsSchema.parse(stored ?? {});
}
