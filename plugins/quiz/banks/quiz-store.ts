import { OsvError, type PluginContext, type Transaction } from '../../../core/plugin-api.js';

export interface QuizRow {
  id: string;
  course_id: string;
  title: string;
  graded: boolean;
  attempts_allowed: number | null;
  question_ids: string[];
  created_at: Date;
}

export interface QuizInput {
  title: string;
  graded: boolean;
  attemptsAllowed: number | null;
  questionIds: string[];
}

export const quizView = (row: QuizRow) => ({
  id: row.id,
  courseId: row.course_id,
  title: row.title,
  graded: row.graded,
  attemptsAllowed: row.attempts_allowed,
  questionIds: row.question_ids,
});

/** Quizzes: an ordered selection of a course's questions. */
export class QuizStore {
  readonly table: string;

  constructor(private readonly ctx: PluginContext) {
    this.table = ctx.db.table('quizzes');
  }

  async create(tenantId: string, courseId: string, input: QuizInput): Promise<QuizRow> {
    const scope = this.ctx.db.forTenant(tenantId);
    const found = await scope.query<{ id: string }>(
      `SELECT id FROM ${this.ctx.db.table('questions')} WHERE tenant_id = $1 AND course_id = $2 AND id = ANY($3::uuid[])`,
      [courseId, input.questionIds],
    );
    const known = new Set(found.map((row) => row.id));
    const unknown = input.questionIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new OsvError('OSV_ERR_VALIDATION', `body.questionIds: not questions of this course: ${unknown.join(', ')}`, [
        { field: 'body.questionIds', issue: `unknown in this course: ${unknown.join(', ')}` },
      ]);
    }
    return scope.insert<QuizRow>(this.table, {
      course_id: courseId,
      title: input.title,
      graded: input.graded,
      attempts_allowed: input.attemptsAllowed,
      question_ids: input.questionIds,
    });
  }

  list(tenantId: string, courseId: string): Promise<QuizRow[]> {
    return this.ctx.db.forTenant(tenantId).select<QuizRow>(this.table, { course_id: courseId }, { orderBy: 'created_at' });
  }

  async get(tenantId: string, id: string, options: { forUpdate?: boolean; transaction?: Transaction } = {}): Promise<QuizRow> {
    const [row] = await this.ctx.db
      .forTenant(tenantId)
      .query<QuizRow>(`SELECT * FROM ${this.table} WHERE tenant_id = $1 AND id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`, [id], options.transaction);
    if (!row) throw new OsvError('OSV_ERR_NOT_FOUND', `No quiz ${id}`);
    return row;
  }
}
