import { definePlugin, type OsvPlugin } from '../../core/plugin-api.js';
import { Composer } from './composer.js';
import messagesMigration from './migrations/0001-messages.js';
import { outboxRoutes } from './outbox-routes.js';
import { SEND_JOB } from './rows.js';
import { Sender } from './sender.js';
import { type SendgridApiOptions, SendgridMailer } from './sendgrid-mailer.js';
import { emailSettingsSchema } from './settings.js';

export type { SendgridApiOptions };

/**
 * Transactional email through SendGrid (the tenant's key, an encrypted plugin secret): welcome,
 * receipt, waitlist promotion and refund messages in English and Spanish, sent from the `emails`
 * queue; without a key they land in the dev outbox of the admin API.
 */
export function createEmailPlugin(options: { sendgrid?: SendgridApiOptions } = {}): OsvPlugin {
  return definePlugin({
    manifest: {
      id: 'email',
      name: 'Email (SendGrid)',
      description: 'Welcome, receipt, waitlist promotion and refund emails; a dev outbox without SendGrid.',
      version: '1.0.0',
      coreRange: '>=0.1.0 <1.0.0',
      capabilities: {
        'email:outbox.read': { description: 'Read the messages sent or held in the outbox', defaultRoles: [], risk: ['pii'] },
      },
      settings: { schema: emailSettingsSchema, secretKeys: ['sendgridApiKey'] },
      events: {
        listens: ['enrollment.created', 'enrollment.promoted', 'payments.checkout.completed', 'payments.payment.refunded'],
      },
    },
    migrations: [messagesMigration],

    register(ctx) {
      const composer = new Composer(ctx);
      const sender = new Sender(ctx, new SendgridMailer({ baseUrl: ctx.platform.providers.sendgrid, ...options.sendgrid }));
      ctx.jobs.define(SEND_JOB, (job, tx) => sender.run(job, tx), { queue: 'emails', maxAttempts: 8 });
      ctx.events.onAsync('enrollment.created', (payload, job, tx) => composer.enrollmentCreated(job.tenantId!, payload, tx));
      ctx.events.onAsync('enrollment.promoted', (payload, job, tx) => composer.enrollmentPromoted(job.tenantId!, payload, tx));
      ctx.events.onAsync('payments.checkout.completed', (payload, job, tx) => composer.checkoutCompleted(job.tenantId!, payload, tx));
      ctx.events.onAsync('payments.payment.refunded', (payload, job, tx) => composer.paymentRefunded(job.tenantId!, payload, tx));
      outboxRoutes(ctx);
    },
  });
}

export default createEmailPlugin();
