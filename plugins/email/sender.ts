import { z } from 'zod';
import type { JobRecord, PluginContext, Transaction } from '../../core/plugin-api.js';
import { MESSAGES, type MessageRow } from './rows.js';
import type { SendgridMailer } from './sendgrid-mailer.js';
import { emailSettings } from './settings.js';

/**
 * The `email:send` job (queue `emails`). SendGrid cannot deduplicate, so acceptance is recorded
 * in its own commit the moment SendGrid answers: a worker that dies after that point leaves a
 * `sent` row, and the rerun of the job sends nothing. A worker killed while the request is in
 * flight leaves the row `queued`, and the rerun sends it.
 */
export class Sender {
  constructor(
    private readonly ctx: PluginContext,
    private readonly mailer: SendgridMailer,
  ) {}

  async run(job: JobRecord, tx: Transaction): Promise<void> {
    const { messageId } = z.object({ messageId: z.uuid() }).parse(job.payload);
    const tenantId = job.tenantId!;
    const scope = this.ctx.db.forTenant(tenantId);
    const message = await scope.findOne<MessageRow>(MESSAGES, { id: messageId }, tx);
    if (message?.status !== 'queued' || !message.to_email) return;
    const settings = emailSettings(await this.ctx.settings(tenantId, tx));
    if (!settings.sendgridApiKey) {
      await scope.update(MESSAGES, { id: messageId }, { status: 'outbox', sent_at: new Date() }, tx);
      return;
    }
    const result = await this.mailer.send(settings.sendgridApiKey, {
      to: message.to_email,
      from: { email: settings.fromEmail, name: settings.fromName },
      subject: message.subject,
      text: message.text_body,
      html: message.html_body,
      messageId,
    });
    if (result.accepted) {
      // Deliberately outside the job's transaction: see the class comment.
      await scope.update(MESSAGES, { id: messageId }, { status: 'sent', provider_message_id: result.providerMessageId, sent_at: new Date() });
    } else {
      await scope.update(MESSAGES, { id: messageId }, { status: 'failed', error: result.error }, tx);
    }
  }
}
