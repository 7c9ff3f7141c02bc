import { OsvError, type PluginContext, type Principal } from '../../../core/plugin-api.js';
import { assertCourseAccess, learnerOf } from '../banks/course-access.js';
import type { QuestionBank } from '../banks/question-bank.js';
import { presentQuestion } from '../questions/presentation.js';
import { AUTO_GRADED, type QuestionType } from '../questions/question.js';
import type { QuestionResponse } from '../scoring/response.js';
import { scoreResponse } from '../scoring/score-response.js';
import { chooseNextQuestion } from './next-question.js';

/** Adaptive practice over a course bank: immediate feedback, no grade (see next-question.ts for the rule). */
export class PracticeService {
  private readonly answers: string;

  constructor(
    private readonly ctx: PluginContext,
    private readonly bank: QuestionBank,
  ) {
    this.answers = ctx.db.table('practice_answers');
  }

  async next(principal: Principal | undefined, courseId: string) {
    const { tenantId, userId } = learnerOf(principal);
    assertCourseAccess(this.ctx, principal!, courseId);
    const scope = this.ctx.db.forTenant(tenantId);
    const stats = await scope.query<{ id: string; type: QuestionType; answers: number; fraction_sum: number }>(
      `SELECT q.id, q.type, count(a.id)::int AS answers, coalesce(sum(a.fraction), 0)::float8 AS fraction_sum
         FROM ${this.ctx.db.table('questions')} q LEFT JOIN ${this.answers} a ON a.question_id = q.id
        WHERE q.tenant_id = $1 AND q.course_id = $2 GROUP BY q.id`,
      [courseId],
    );
    const history = await scope.query<{ question_id: string; fraction: number; answered_at: Date }>(
      `SELECT question_id, fraction, answered_at FROM ${this.answers} WHERE tenant_id = $1 AND course_id = $2 AND user_id = $3 ORDER BY answered_at, id`,
      [courseId, userId],
    );
    const candidates = stats.filter((row) => AUTO_GRADED.has(row.type)).map((row) => ({ id: row.id, answers: row.answers, fractionSum: row.fraction_sum }));
    const next = chooseNextQuestion(
      candidates,
      history.map((row) => ({ questionId: row.question_id, fraction: row.fraction, answeredAt: row.answered_at })),
      new Date(),
    );
    if (!next) return { question: null, message: 'Nothing to practise right now: every question you got wrong is waiting for its review time.' };
    const { question } = await this.bank.get(tenantId, courseId, next.questionId);
    return { question: presentQuestion(next.questionId, question), reason: next.reason, difficulty: next.difficulty, targetDifficulty: next.targetDifficulty };
  }

  async answer(principal: Principal | undefined, courseId: string, questionId: string, response: QuestionResponse) {
    const { tenantId, userId } = learnerOf(principal);
    assertCourseAccess(this.ctx, principal!, courseId);
    const { question } = await this.bank.get(tenantId, courseId, questionId);
    if (!AUTO_GRADED.has(question.type)) throw new OsvError('OSV_ERR_VALIDATION', `A ${question.type} question cannot be practised: it is not graded automatically`);
    const { fraction, feedback } = scoreResponse(question, response);
    await this.ctx.db
      .forTenant(tenantId)
      .insert(this.answers, { course_id: courseId, user_id: userId, question_id: questionId, response: JSON.stringify(response), fraction: fraction ?? 0 });
    return { questionId, fraction: fraction ?? 0, feedback, generalFeedback: question.generalFeedback };
  }
}
