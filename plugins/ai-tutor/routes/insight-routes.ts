import { z } from 'zod';
import type { PluginContext } from '../../../core/plugin-api.js';
import { askerOf } from '../answering/conversations.js';
import { courseIdSchema, resolveCourse } from '../courses.js';
import { TABLES } from '../tables.js';

const turnView = z.object({
  id: z.string(),
  question: z.string(),
  answer: z.string(),
  answered: z.boolean(),
  answerer: z.string(),
  citations: z.array(z.record(z.string(), z.unknown())),
  createdAt: z.string(),
});

interface TurnRow {
  id: string;
  conversation_id: string;
  course_id: string;
  question: string;
  answer: string;
  answered: boolean;
  answerer: string;
  citations: Array<Record<string, unknown>>;
  created_at: Date;
}

const turnOf = (row: TurnRow) => ({
  id: row.id,
  question: row.question,
  answer: row.answer,
  answered: row.answered,
  answerer: row.answerer,
  citations: row.citations,
  createdAt: new Date(row.created_at).toISOString(),
});

/** A learner's own history, and what instructors learn from the questions of their course. */
export function insightRoutes(ctx: PluginContext): void {
  ctx.http.route({
    method: 'get',
    path: '/conversations',
    summary: "The caller's own conversations with the tutor (newest first), with their turns",
    access: 'ai-tutor:ask',
    query: z.object({ courseId: courseIdSchema.optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
    response: z.array(z.object({ id: z.string(), courseId: z.string(), updatedAt: z.string(), turns: z.array(turnView) })),
    handler: async ({ query, principal }) => {
      const scope = ctx.db.forTenant(principal!.tenantId);
      const courseId = query.courseId || ctx.lti?.launchOf(principal!)?.contextId ? resolveCourse(ctx, principal!, query.courseId) : undefined;
      const conversations = await scope.query<{ id: string; course_id: string; updated_at: Date }>(
        `SELECT id, course_id, updated_at FROM ${TABLES.conversations}
          WHERE tenant_id = $1 AND asker = $2 AND ($3::text IS NULL OR course_id = $3)
          ORDER BY updated_at DESC LIMIT ${query.limit}`,
        [askerOf(principal!), courseId ?? null],
      );
      const turns = await scope.query<TurnRow>(
        `SELECT * FROM ${TABLES.turns} WHERE tenant_id = $1 AND conversation_id = ANY($2::uuid[]) ORDER BY created_at`,
        [conversations.map((conversation) => conversation.id)],
      );
      return conversations.map((conversation) => ({
        id: conversation.id,
        courseId: conversation.course_id,
        updatedAt: new Date(conversation.updated_at).toISOString(),
        turns: turns.filter((turn) => turn.conversation_id === conversation.id).map(turnOf),
      }));
    },
  });

  ctx.http.route({
    method: 'get',
    path: '/courses/:courseId/questions',
    summary: 'Questions asked in a course (newest first); `unanswered=true` lists those the materials did not cover',
    access: 'ai-tutor:manage',
    params: z.object({ courseId: courseIdSchema }),
    query: z.object({ unanswered: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
    response: z.object({ asked: z.number(), unanswered: z.number(), questions: z.array(turnView.extend({ conversationId: z.string() })) }),
    handler: async ({ params, query, principal }) => {
      const courseId = resolveCourse(ctx, principal!, params.courseId);
      const scope = ctx.db.forTenant(principal!.tenantId);
      const [counts] = await scope.query<{ asked: string; unanswered: string }>(
        `SELECT count(*) AS asked, count(*) FILTER (WHERE NOT answered) AS unanswered FROM ${TABLES.turns} WHERE tenant_id = $1 AND course_id = $2`,
        [courseId],
      );
      const rows = await scope.query<TurnRow>(
        `SELECT * FROM ${TABLES.turns} WHERE tenant_id = $1 AND course_id = $2 ${query.unanswered === 'true' ? 'AND NOT answered' : ''}
          ORDER BY created_at DESC LIMIT ${query.limit}`,
        [courseId],
      );
      return {
        asked: Number(counts?.asked ?? 0),
        unanswered: Number(counts?.unanswered ?? 0),
        questions: rows.map((row) => ({ ...turnOf(row), conversationId: row.conversation_id })),
      };
    },
  });
}
