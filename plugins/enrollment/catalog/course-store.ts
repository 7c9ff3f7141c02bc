import type { CourseDetail } from '../../../widgets/src/api-types.js';
import { OsvError, type PluginContext, type Transaction } from '../../../core/plugin-api.js';
import { type CourseRow, TABLES } from '../rows.js';
import { toCatalogCourse } from './wire.js';

export interface CourseInput {
  slug: string;
  title: string;
  summary: string;
  description: string;
  status: 'draft' | 'published';
  priceCents: number;
  currency: string;
  seatLimit: number | null;
  enrollmentOpensAt: string | null;
  enrollmentClosesAt: string | null;
  ltiContextId: string | null;
}

const COLUMN_OF: Record<keyof CourseInput, keyof CourseRow> = {
  slug: 'slug',
  title: 'title',
  summary: 'summary',
  description: 'description',
  status: 'status',
  priceCents: 'price_cents',
  currency: 'currency',
  seatLimit: 'seat_limit',
  enrollmentOpensAt: 'enrollment_opens_at',
  enrollmentClosesAt: 'enrollment_closes_at',
  ltiContextId: 'lti_context_id',
};

function columns(input: Partial<CourseInput>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [COLUMN_OF[key as keyof CourseInput], value]),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a course reference is an id (anything else is taken as a slug). */
export const isCourseId = (idOrSlug: string): boolean => UUID.test(idOrSlug);

function uniqueViolation(error: unknown): boolean {
  return (error as { original?: { code?: string } })?.original?.code === '23505';
}

/** Courses, modules and lessons: the catalog's writes and its detail read. */
export class CourseStore {
  constructor(private readonly ctx: PluginContext) {}

  async create(tenantId: string, input: CourseInput): Promise<CourseRow> {
    try {
      return await this.ctx.db.forTenant(tenantId).insert<CourseRow>(TABLES.courses, columns(input));
    } catch (error) {
      if (uniqueViolation(error)) throw new OsvError('OSV_ERR_CONFLICT', `A course with slug "${input.slug}" already exists`);
      throw error;
    }
  }

  /** Under the course lock, so a changed seat limit and the waitlist promotion it allows are one step. */
  async update(tenantId: string, course: CourseRow, changes: Partial<CourseInput>, tx: Transaction): Promise<CourseRow> {
    const values = columns(changes);
    if (changes.seatLimit !== undefined && changes.seatLimit !== null && changes.seatLimit < course.seats_taken) {
      throw new OsvError('OSV_ERR_CONFLICT', `${course.seats_taken} seats are taken or held; the seat limit cannot go below that`);
    }
    try {
      const [updated] = await this.ctx.db.forTenant(tenantId).update<CourseRow>(TABLES.courses, { id: course.id }, { ...values, updated_at: new Date() }, tx);
      return updated!;
    } catch (error) {
      if (uniqueViolation(error)) throw new OsvError('OSV_ERR_CONFLICT', `A course with slug "${changes.slug}" already exists`);
      throw error;
    }
  }

  async find(tenantId: string, idOrSlug: string, tx?: Transaction): Promise<CourseRow | undefined> {
    const where = isCourseId(idOrSlug) ? { id: idOrSlug } : { slug: idOrSlug };
    return this.ctx.db.forTenant(tenantId).findOne<CourseRow>(TABLES.courses, where, tx);
  }

  async addModule(tenantId: string, courseId: string, input: { title: string; position?: number }) {
    const scope = this.ctx.db.forTenant(tenantId);
    if (!(await scope.findOne(TABLES.courses, { id: courseId }))) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course');
    return scope.insert<{ id: string; title: string; position: number }>(TABLES.modules, { course_id: courseId, title: input.title, position: input.position ?? 0 });
  }

  async addLesson(tenantId: string, moduleId: string, input: { title: string; body: string; position?: number }) {
    const scope = this.ctx.db.forTenant(tenantId);
    const module = await scope.findOne<{ course_id: string }>(TABLES.modules, { id: moduleId });
    if (!module) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such module');
    return scope.insert<{ id: string; title: string; position: number }>(TABLES.lessons, {
      module_id: moduleId,
      course_id: module.course_id,
      title: input.title,
      body: input.body,
      position: input.position ?? 0,
    });
  }

  async detail(tenantId: string, course: CourseRow): Promise<CourseDetail> {
    const scope = this.ctx.db.forTenant(tenantId);
    const modules = await scope.query<{ id: string; title: string }>(
      `SELECT id, title FROM ${TABLES.modules} WHERE tenant_id = $1 AND course_id = $2 ORDER BY position, created_at, id`,
      [course.id],
    );
    const lessons = await scope.query<{ id: string; title: string; module_id: string }>(
      `SELECT id, title, module_id FROM ${TABLES.lessons} WHERE tenant_id = $1 AND course_id = $2 ORDER BY position, created_at, id`,
      [course.id],
    );
    return {
      ...toCatalogCourse(course),
      modules: modules.map((module) => ({
        id: module.id,
        title: module.title,
        lessons: lessons.filter((lesson) => lesson.module_id === module.id).map(({ id, title }) => ({ id, title })),
      })),
    };
  }
}
