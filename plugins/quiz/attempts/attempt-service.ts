import { OsvError, type PluginContext, type Principal, type Transaction } from '../../../core/plugin-api.js';
import type { QuestionBank, StoredQuestion } from '../banks/question-bank.js';
import { assertCourseAccess, learnerOf } from '../banks/course-access.js';
import type { QuizRow, QuizStore } from '../banks/quiz-store.js';
import { presentQuestion } from '../questions/presentation.js';
import type { Question } from '../questions/question.js';
import type { QuestionResponse } from '../scoring/response.js';
import { scoreResponse } from '../scoring/score-response.js';

interface AttemptRow {
  id: string;
  quiz_id: string;
  user_id: string;
  number: number;
  resource_link_id: string | null;
  started_at: Date;
  submitted_at: Date | null;
  score: number | null;
  max_score: number;
  needs_grading: boolean;
}

interface ResponseRow {
  question_id: string;
  response: QuestionResponse;
  fraction: number | null;
  seconds_spent: number;
}

/** The LMS gradebook column a graded quiz declares (manifest `gradable`): scores are sent as percentages. */
export const LTI_SCORE_MAXIMUM = 100;

/** Descriptions carry no marks; cloze questions are not graded yet, so they carry none either. */
const carriesMarks = (question: Question) => question.type !== 'description' && question.type !== 'cloze';
const tidy = (value: number) => Math.round(value * 1e6) / 1e6;

/** Starting, answering and submitting quiz attempts, with the time spent on each question. */
export class AttemptService {
  private readonly attempts: string;
  private readonly responses: string;

  constructor(
    private readonly ctx: PluginContext,
    private readonly bank: QuestionBank,
    private readonly quizzes: QuizStore,
  ) {
    this.attempts = ctx.db.table('attempts');
    this.responses = ctx.db.table('responses');
  }

  private async questionsOf(tenantId: string, quiz: QuizRow, transaction?: Transaction): Promise<StoredQuestion[]> {
    const questions: StoredQuestion[] = [];
    for (const id of quiz.question_ids) {
      const found = await this.bank.get(tenantId, quiz.course_id, id, transaction).catch(() => undefined);
      if (found) questions.push(found);
    }
    return questions;
  }

  /** Starts an attempt, or resumes the learner's open one. */
  async start(principal: Principal | undefined, quizId: string) {
    const { tenantId, userId } = learnerOf(principal);
    return this.ctx.db.transaction(async (transaction) => {
      // The row lock serialises one learner's parallel starts, so the attempt limit holds.
      const quiz = await this.quizzes.get(tenantId, quizId, { forUpdate: true, transaction });
      assertCourseAccess(this.ctx, principal!, quiz.course_id);
      const questions = await this.questionsOf(tenantId, quiz, transaction);
      const scope = this.ctx.db.forTenant(tenantId);
      const previous = await scope.select<AttemptRow>(this.attempts, { quiz_id: quiz.id, user_id: userId }, { orderBy: 'number', transaction });
      let attempt = previous.find((row) => row.submitted_at === null);
      if (!attempt) {
        if (quiz.graded && quiz.attempts_allowed !== null && previous.length >= quiz.attempts_allowed) {
          throw new OsvError('OSV_ERR_QUIZ_NO_ATTEMPTS_LEFT', `This quiz allows ${quiz.attempts_allowed} attempt(s) and you have submitted ${previous.length}`);
        }
        const maxScore = tidy(questions.filter(({ question }) => carriesMarks(question)).reduce((sum, { question }) => sum + question.defaultGrade, 0));
        attempt = await scope.insert<AttemptRow>(
          this.attempts,
          {
            quiz_id: quiz.id,
            user_id: userId,
            number: previous.length + 1,
            resource_link_id: this.ctx.lti?.launchOf(principal!)?.resourceLinkId ?? null,
            max_score: maxScore,
          },
          transaction,
        );
      }
      return {
        attemptId: attempt.id,
        number: attempt.number,
        quiz: { id: quiz.id, title: quiz.title, graded: quiz.graded, attemptsAllowed: quiz.attempts_allowed },
        maxScore: attempt.max_score,
        questions: questions.map(({ id, question }) => presentQuestion(id, question)),
      };
    });
  }

  private async openAttempt(tenantId: string, userId: string, attemptId: string, transaction: Transaction): Promise<{ attempt: AttemptRow; quiz: QuizRow }> {
    const [attempt] = await this.ctx.db
      .forTenant(tenantId)
      .query<AttemptRow>(`SELECT * FROM ${this.attempts} WHERE tenant_id = $1 AND id = $2 AND user_id = $3 FOR UPDATE`, [attemptId, userId], transaction);
    if (!attempt) throw new OsvError('OSV_ERR_NOT_FOUND', `No attempt ${attemptId} of yours`);
    if (attempt.submitted_at) throw new OsvError('OSV_ERR_QUIZ_ATTEMPT_CLOSED', `Attempt ${attemptId} was submitted at ${attempt.submitted_at.toISOString()}; start a new attempt to answer again`);
    return { attempt, quiz: await this.quizzes.get(tenantId, attempt.quiz_id, { transaction }) };
  }

  /** Records (or replaces) the answer to one question; the time since the previous answer is added to it. */
  async answer(principal: Principal | undefined, attemptId: string, questionId: string, response: QuestionResponse) {
    const { tenantId, userId } = learnerOf(principal);
    return this.ctx.db.transaction(async (transaction) => {
      const { attempt, quiz } = await this.openAttempt(tenantId, userId, attemptId, transaction);
      assertCourseAccess(this.ctx, principal!, quiz.course_id);
      if (!quiz.question_ids.includes(questionId)) throw new OsvError('OSV_ERR_NOT_FOUND', `Question ${questionId} is not part of this quiz`);
      const { question } = await this.bank.get(tenantId, quiz.course_id, questionId, transaction);
      // Scoring now refuses a response that does not fit the question before anything is stored.
      const { fraction } = scoreResponse(question, response);
      const scope = this.ctx.db.forTenant(tenantId);
      const [elapsed] = await scope.query<{ seconds: number }>(
        `SELECT extract(epoch FROM clock_timestamp() - greatest(a.started_at, coalesce(max(r.answered_at), a.started_at)))::float8 AS seconds
           FROM ${this.attempts} a LEFT JOIN ${this.responses} r ON r.attempt_id = a.id
          WHERE a.tenant_id = $1 AND a.id = $2 GROUP BY a.id`,
        [attempt.id],
        transaction,
      );
      const [saved] = await scope.query<{ seconds_spent: number }>(
        `INSERT INTO ${this.responses} (tenant_id, attempt_id, question_id, response, fraction, seconds_spent, answered_at) VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
         ON CONFLICT (attempt_id, question_id) DO UPDATE SET response = excluded.response, fraction = excluded.fraction,
           seconds_spent = ${this.responses}.seconds_spent + excluded.seconds_spent, answered_at = excluded.answered_at
         RETURNING seconds_spent`,
        [attempt.id, questionId, JSON.stringify(response), fraction, Math.max(0, elapsed?.seconds ?? 0)],
        transaction,
      );
      return { attemptId: attempt.id, questionId, secondsSpent: saved!.seconds_spent };
    });
  }

  /** Scores the attempt; a graded quiz launched from an LMS sends the score to its gradebook in the same transaction. */
  async submit(principal: Principal | undefined, attemptId: string) {
    const { tenantId, userId } = learnerOf(principal);
    return this.ctx.db.transaction(async (transaction) => {
      const { attempt, quiz } = await this.openAttempt(tenantId, userId, attemptId, transaction);
      const scope = this.ctx.db.forTenant(tenantId);
      const responses = new Map(
        (await scope.select<ResponseRow>(this.responses, { attempt_id: attempt.id }, { transaction })).map((row) => [row.question_id, row]),
      );
      const results = (await this.questionsOf(tenantId, quiz, transaction)).filter(({ question }) => carriesMarks(question)).map(({ id, question }) => {
        const saved = responses.get(id);
        const scored = saved ? scoreResponse(question, saved.response) : { fraction: question.type === 'essay' ? null : 0, feedback: [] };
        return { questionId: id, marks: question.defaultGrade, fraction: scored.fraction, feedback: scored.feedback, secondsSpent: saved?.seconds_spent ?? 0 };
      });
      const score = tidy(results.reduce((sum, result) => sum + (result.fraction ?? 0) * result.marks, 0));
      const needsGrading = results.some((result) => result.fraction === null);
      await scope.update(this.attempts, { id: attempt.id }, { submitted_at: new Date(), score, needs_grading: needsGrading }, transaction);
      const lti = this.ctx.lti;
      if (quiz.graded && attempt.resource_link_id && lti) {
        await lti.submitScore(
          {
            tenantId,
            userId,
            resourceLinkId: attempt.resource_link_id,
            scoreGiven: attempt.max_score > 0 ? tidy((score / attempt.max_score) * LTI_SCORE_MAXIMUM) : 0,
            scoreMaximum: LTI_SCORE_MAXIMUM,
            activityProgress: 'Completed',
            gradingProgress: needsGrading ? 'PendingManual' : 'FullyGraded',
          },
          { transaction },
        );
      }
      return { attemptId: attempt.id, score, maxScore: attempt.max_score, needsGrading, questions: results };
    });
  }
}
