import { z } from 'zod';
import type { PluginContext, Transaction } from '../../core/plugin-api.js';
import { MESSAGES, SEND_JOB } from './rows.js';
import { emailSettings, LOCALES, type Locale } from './settings.js';
import { type RenderInput, render } from './templates/render.js';
import type { TemplateName } from './templates/types.js';

/** The fields the email plugin reads from other plugins' events; the rest is ignored. */
const about = z.looseObject({ userId: z.uuid(), courseTitle: z.string(), locale: z.string().nullable().optional() });
const enrollmentCreated = about.extend({ enrollmentId: z.string(), source: z.string() });
const enrollmentPromoted = about.extend({ enrollmentId: z.string(), offer: z.enum(['enrolled', 'checkout']), holdExpiresAt: z.string().nullable() });
const checkoutCompleted = about.extend({ checkoutId: z.string(), amountCents: z.number(), currency: z.string() });
const paymentRefunded = checkoutCompleted.extend({ refundCents: z.number(), amountRefundedCents: z.number() });

/**
 * Turns facts into messages: each is rendered in the learner's language, stored once per fact
 * (dedupe key) and handed to the `emails` queue in the same transaction.
 */
export class Composer {
  constructor(private readonly ctx: PluginContext) {}

  async enrollmentCreated(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const fact = enrollmentCreated.parse(payload);
    // A promoted learner gets the promotion message instead of a second welcome.
    if (fact.source === 'waitlist') return;
    await this.compose(tenantId, `welcome:${fact.enrollmentId}`, 'welcome', fact, { courseTitle: fact.courseTitle }, tx);
  }

  async enrollmentPromoted(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const fact = enrollmentPromoted.parse(payload);
    const template = fact.offer === 'enrolled' ? 'promotion-enrolled' : 'promotion-checkout';
    const deadline = fact.holdExpiresAt ? new Date(fact.holdExpiresAt) : undefined;
    await this.compose(tenantId, `${template}:${fact.enrollmentId}:${fact.holdExpiresAt ?? ''}`, template, fact, { courseTitle: fact.courseTitle, deadline }, tx);
  }

  async checkoutCompleted(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const fact = checkoutCompleted.parse(payload);
    await this.compose(tenantId, `receipt:${fact.checkoutId}`, 'receipt', fact, { courseTitle: fact.courseTitle, amountCents: fact.amountCents, currency: fact.currency }, tx);
  }

  async paymentRefunded(tenantId: string, payload: unknown, tx: Transaction): Promise<void> {
    const fact = paymentRefunded.parse(payload);
    await this.compose(
      tenantId,
      `refund:${fact.checkoutId}:${fact.amountRefundedCents}`,
      'refund',
      fact,
      { courseTitle: fact.courseTitle, amountCents: fact.refundCents, totalCents: fact.amountRefundedCents, currency: fact.currency },
      tx,
    );
  }

  private async compose(
    tenantId: string,
    dedupeKey: string,
    template: TemplateName,
    fact: z.infer<typeof about>,
    input: Omit<RenderInput, 'name'>,
    tx: Transaction,
  ): Promise<void> {
    const settings = emailSettings(await this.ctx.settings(tenantId, tx));
    const user = await this.ctx.platform.user(tenantId, fact.userId, tx);
    const locale: Locale = LOCALES.find((known) => known === fact.locale) ?? settings.defaultLocale;
    const rendered = render(template, locale, { ...input, name: user?.name ?? null });
    const [message] = await this.ctx.db.forTenant(tenantId).query<{ id: string }>(
      `INSERT INTO ${MESSAGES} (tenant_id, dedupe_key, template, locale, user_id, to_email, subject, text_body, html_body, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING id`,
      [dedupeKey, template, locale, fact.userId, user?.email ?? null, rendered.subject, rendered.text, rendered.html, user?.email ? 'queued' : 'skipped'],
      tx,
    );
    if (message && user?.email) await this.ctx.jobs.enqueue(SEND_JOB, { messageId: message.id }, { tenantId, transaction: tx });
  }
}
