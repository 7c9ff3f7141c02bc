import { OsvError, type PluginContext, type Transaction } from '../../../core/plugin-api.js';
import { type Question, questionSchema } from '../questions/question.js';

interface QuestionRow {
  id: string;
  course_id: string;
  type: string;
  name: string;
  body: unknown;
  created_at: Date;
  updated_at: Date;
}

export interface StoredQuestion {
  id: string;
  courseId: string;
  question: Question;
}

const toStored = (row: QuestionRow): StoredQuestion => ({ id: row.id, courseId: row.course_id, question: questionSchema.parse(row.body) });

/** The questions of each course, stored whole as validated JSON. */
export class QuestionBank {
  private readonly table: string;

  constructor(private readonly ctx: PluginContext) {
    this.table = ctx.db.table('questions');
  }

  async list(tenantId: string, courseId: string): Promise<StoredQuestion[]> {
    const rows = await this.ctx.db.forTenant(tenantId).select<QuestionRow>(this.table, { course_id: courseId }, { orderBy: 'created_at' });
    return rows.map(toStored);
  }

  async get(tenantId: string, courseId: string, id: string, transaction?: Transaction): Promise<StoredQuestion> {
    const row = await this.ctx.db.forTenant(tenantId).findOne<QuestionRow>(this.table, { id, course_id: courseId }, transaction);
    if (!row) throw new OsvError('OSV_ERR_NOT_FOUND', `No question ${id} in this course`);
    return toStored(row);
  }

  /** All or nothing: an import that fails half-way stores none of its questions. */
  async add(tenantId: string, courseId: string, questions: Question[]): Promise<StoredQuestion[]> {
    return this.ctx.db.transaction(async (transaction) => {
      const scope = this.ctx.db.forTenant(tenantId);
      const stored: StoredQuestion[] = [];
      for (const question of questions) {
        const row = await scope.insert<QuestionRow>(this.table, { course_id: courseId, type: question.type, name: question.name, body: JSON.stringify(question) }, transaction);
        stored.push(toStored(row));
      }
      return stored;
    });
  }

  async replace(tenantId: string, courseId: string, id: string, question: Question): Promise<StoredQuestion> {
    const [row] = await this.ctx.db
      .forTenant(tenantId)
      .update<QuestionRow>(this.table, { id, course_id: courseId }, { type: question.type, name: question.name, body: JSON.stringify(question), updated_at: new Date() });
    if (!row) throw new OsvError('OSV_ERR_NOT_FOUND', `No question ${id} in this course`);
    return toStored(row);
  }

  async remove(tenantId: string, courseId: string, id: string): Promise<void> {
    const removed = await this.ctx.db.forTenant(tenantId).remove(this.table, { id, course_id: courseId });
    if (removed === 0) throw new OsvError('OSV_ERR_NOT_FOUND', `No question ${id} in this course`);
  }
}
