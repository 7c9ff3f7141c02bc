import { z } from 'zod';
import type { PluginContext } from '../../core/plugin-api.js';
import { MESSAGES, type MessageRow } from './rows.js';

const messageSchema = z.object({
  id: z.uuid(),
  template: z.string(),
  locale: z.string(),
  to: z.string().nullable(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  status: z.string(),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

/** The admin view of what was (or, without SendGrid, would have been) sent. */
export function outboxRoutes(ctx: PluginContext): void {
  ctx.http.route({
    method: 'get',
    path: '/outbox',
    summary: 'Messages of the tenant, newest first; without a SendGrid key they stop here (status outbox)',
    access: 'email:outbox.read',
    query: z.object({
      status: z.enum(['queued', 'sent', 'outbox', 'failed', 'skipped']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    response: z.array(messageSchema),
    handler: async ({ query, principal }) => {
      const rows = await ctx.db
        .forTenant(principal!.tenantId)
        .select<MessageRow>(MESSAGES, query.status ? { status: query.status } : {}, { orderBy: 'created_at', descending: true, limit: query.limit });
      return rows.map((row) => ({
        id: row.id,
        template: row.template,
        locale: row.locale,
        to: row.to_email,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        status: row.status,
        error: row.error,
        createdAt: new Date(row.created_at).toISOString(),
        sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
      }));
    },
  });
}
