import { z } from 'zod';
import { definePlugin, OsvError, type Transaction } from '../../core/plugin-api.js';
import notesMigration from './migrations/0001-notes.js';

const noteSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  word_count: z.number().nullable(),
  created_at: z.string().or(z.date()),
});

interface NoteCreated {
  noteId: string;
  tenantId: string;
}

/**
 * A deliberately small plugin that uses every extension point: a migration, settings with a
 * secret, capabilities, routes, a job, an event with a sync hook and an async handler, a widget
 * and an LTI content item.
 */
export default definePlugin({
  manifest: {
    id: 'example',
    name: 'Example notes',
    description: 'Notes per tenant; shows how a plugin plugs into osv.',
    version: '1.0.0',
    coreRange: '>=0.1.0 <1.0.0',
    capabilities: {
      'example:read': { description: 'Read notes', defaultRoles: ['instructor', 'learner'] },
      'example:write': { description: 'Write notes', defaultRoles: ['instructor'], risk: ['pii'] },
    },
    settings: {
      schema: z.object({
        greeting: z.string().max(200).default('Hello'),
        maxNoteLength: z.number().int().min(1).max(100_000).default(10_000),
        webhookSecret: z.string().min(8).optional(),
      }),
      secretKeys: ['webhookSecret'],
    },
    events: { emits: ['example.note.created'], listens: ['example.note.created'] },
    widgets: [{ tag: 'osv-example-notes', entry: 'widgets/notes.js' }],
    lti: { contentItems: [{ id: 'notes', title: 'Course notes', widget: 'osv-example-notes' }] },
  },
  migrations: [notesMigration],

  register(ctx) {
    const notes = ctx.db.table('notes');

    ctx.http.route({
      method: 'get',
      path: '/notes',
      summary: "List the tenant's notes",
      access: 'example:read',
      response: z.array(noteSchema),
      handler: ({ principal }) => ctx.db.forTenant(principal!.tenantId).select(notes, {}, { orderBy: 'created_at', descending: true }),
    });

    ctx.http.route({
      method: 'get',
      path: '/greeting',
      summary: "The tenant's configured greeting",
      access: 'example:read',
      handler: async ({ principal }) => {
        const settings = await ctx.settings<{ greeting?: string }>(principal!.tenantId);
        return { greeting: settings.greeting ?? 'Hello' };
      },
    });

    ctx.http.route({
      method: 'post',
      path: '/notes',
      summary: 'Create a note (its word count is computed by a job)',
      access: 'example:write',
      status: 201,
      body: z.object({ title: z.string().min(1).max(200), body: z.string().max(100_000).default('') }),
      response: noteSchema,
      handler: async ({ body, principal }) => {
        const tenantId = principal!.tenantId;
        const { maxNoteLength = 10_000 } = await ctx.settings<{ maxNoteLength?: number }>(tenantId);
        if (body.body.length > maxNoteLength) {
          throw new OsvError('OSV_ERR_VALIDATION', `body.body: longer than ${maxNoteLength} characters`, [
            { field: 'body.body', issue: `longer than ${maxNoteLength} characters` },
          ]);
        }
        return ctx.db.transaction(async (transaction: Transaction) => {
          const note = await ctx.db
            .forTenant(tenantId)
            .insert<{ id: string }>(notes, { ...body, created_by: principal!.userId ?? principal!.apiKeyId }, transaction);
          await ctx.events.emit('example.note.created', { noteId: note.id, tenantId } satisfies NoteCreated, { tenantId, transaction });
          return note;
        });
      },
    });

    // Sync hook: runs inside the creating transaction; throwing would undo the note.
    ctx.events.on('example.note.created', (payload) => {
      ctx.log.debug({ payload }, 'note created');
    });

    // Async handler: a job, enqueued in the same transaction, run after commit.
    ctx.events.onAsync('example.note.created', async (payload, _job, transaction) => {
      const { noteId, tenantId } = payload as NoteCreated;
      const scope = ctx.db.forTenant(tenantId);
      const note = await scope.findOne<{ body: string }>(notes, { id: noteId }, transaction);
      if (!note) return;
      const words = note.body.trim() === '' ? 0 : note.body.trim().split(/\s+/).length;
      await scope.update(notes, { id: noteId }, { word_count: words }, transaction);
    });

    ctx.jobs.define('purge', async (job, transaction) => {
      if (!job.tenantId) return;
      await ctx.db.forTenant(job.tenantId).remove(notes, {}, transaction);
    }, { queue: 'low', batch: true });
  },
});
