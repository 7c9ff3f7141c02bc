import { OsvError, type PluginContext, type Principal, type Transaction } from '../../../core/plugin-api.js';
import type { TutorCitationEvent } from '../../../widgets/src/api-types.js';
import { TABLES } from '../tables.js';

export interface TurnRecord {
  question: string;
  answer: string;
  citations: TutorCitationEvent[];
  answered: boolean;
  answerer: 'model' | 'extractive' | 'none';
  degraded: string[];
}

/** Who a conversation belongs to: a member, a secret key, or a site's anonymous visitors. */
export function askerOf(principal: Principal): string {
  if (principal.kind === 'member' || principal.kind === 'user') return `user:${principal.userId}`;
  if (principal.kind === 'api_key') return `key:${principal.apiKeyId}`;
  return `anonymous:${principal.publishableKeyId}`;
}

const EARLIER_QUESTIONS = 3;

/** Conversations and their turns; each turn records whether the materials covered the question. */
export class Conversations {
  constructor(private readonly ctx: PluginContext) {}

  /** The conversation to continue (checked to be the asker's, in this course) or a new one. */
  async open(tenantId: string, courseId: string, asker: string, conversationId: string | undefined): Promise<{ id: string; earlierQuestions: string[] }> {
    const scope = this.ctx.db.forTenant(tenantId);
    if (conversationId) {
      const conversation = await scope.findOne(TABLES.conversations, { id: conversationId, asker, course_id: courseId });
      if (!conversation) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such conversation of yours in this course; start a new one without conversationId');
      const turns = await scope.query<{ question: string }>(
        `SELECT question FROM ${TABLES.turns} WHERE tenant_id = $1 AND conversation_id = $2 ORDER BY created_at DESC LIMIT ${EARLIER_QUESTIONS}`,
        [conversationId],
      );
      return { id: conversationId, earlierQuestions: turns.map((turn) => turn.question).reverse() };
    }
    const created = await scope.insert<{ id: string }>(TABLES.conversations, { course_id: courseId, asker });
    return { id: created.id, earlierQuestions: [] };
  }

  async record(tenantId: string, courseId: string, conversationId: string, turn: TurnRecord, tx?: Transaction): Promise<string> {
    const scope = this.ctx.db.forTenant(tenantId);
    const row = await scope.insert<{ id: string }>(
      TABLES.turns,
      {
        conversation_id: conversationId,
        course_id: courseId,
        question: turn.question,
        answer: turn.answer,
        citations: JSON.stringify(turn.citations),
        answered: turn.answered,
        answerer: turn.answerer,
        degraded: turn.degraded,
      },
      tx,
    );
    await scope.update(TABLES.conversations, { id: conversationId }, { updated_at: new Date() }, tx);
    return row.id;
  }
}
