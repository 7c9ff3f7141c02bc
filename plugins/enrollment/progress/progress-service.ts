import { OsvError, type PluginContext, type Transaction } from '../../../core/plugin-api.js';
import type { LessonCompleted } from '../contract.js';
import { TABLES } from '../rows.js';

export interface CourseProgress {
  courseId: string;
  completedLessonIds: string[];
  completedLessons: number;
  totalLessons: number;
  /** 0–100, rounded down. */
  percent: number;
}

/** Which lessons an enrolled learner has completed; completing one twice changes nothing. */
export class ProgressService {
  constructor(private readonly ctx: PluginContext) {}

  async complete(tenantId: string, userId: string, lessonId: string): Promise<CourseProgress> {
    const scope = this.ctx.db.forTenant(tenantId);
    const lesson = await scope.findOne<{ course_id: string }>(TABLES.lessons, { id: lessonId });
    if (!lesson) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such lesson');
    return this.ctx.db.transaction(async (tx) => {
      await this.requireEnrolled(tenantId, userId, lesson.course_id, tx);
      const inserted = await scope.query(
        `INSERT INTO ${TABLES.progress} (tenant_id, user_id, course_id, lesson_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, user_id, lesson_id) DO NOTHING RETURNING id`,
        [userId, lesson.course_id, lessonId],
        tx,
      );
      const progress = await this.read(tenantId, userId, lesson.course_id, tx);
      if (inserted.length > 0) {
        const event: LessonCompleted = {
          tenantId,
          userId,
          courseId: lesson.course_id,
          lessonId,
          completedLessons: progress.completedLessons,
          totalLessons: progress.totalLessons,
        };
        await this.ctx.events.emit('enrollment.lesson.completed', event, { tenantId, transaction: tx });
      }
      return progress;
    });
  }

  async forCourse(tenantId: string, userId: string, courseId: string): Promise<CourseProgress> {
    await this.requireEnrolled(tenantId, userId, courseId);
    return this.read(tenantId, userId, courseId);
  }

  private async requireEnrolled(tenantId: string, userId: string, courseId: string, tx?: Transaction): Promise<void> {
    const enrolled = await this.ctx.db.forTenant(tenantId).findOne(TABLES.enrollments, { course_id: courseId, user_id: userId, status: 'enrolled' }, tx);
    if (!enrolled) throw new OsvError('OSV_ERR_NOT_ENROLLED');
  }

  private async read(tenantId: string, userId: string, courseId: string, tx?: Transaction): Promise<CourseProgress> {
    const scope = this.ctx.db.forTenant(tenantId);
    const done = await scope.query<{ lesson_id: string }>(
      `SELECT lesson_id FROM ${TABLES.progress} WHERE tenant_id = $1 AND user_id = $2 AND course_id = $3 ORDER BY completed_at, lesson_id`,
      [userId, courseId],
      tx,
    );
    const [total] = await scope.query<{ count: string }>(`SELECT count(*) AS count FROM ${TABLES.lessons} WHERE tenant_id = $1 AND course_id = $2`, [courseId], tx);
    const totalLessons = Number(total?.count ?? 0);
    return {
      courseId,
      completedLessonIds: done.map((row) => row.lesson_id),
      completedLessons: done.length,
      totalLessons,
      percent: totalLessons === 0 ? 0 : Math.floor((done.length * 100) / totalLessons),
    };
  }
}
