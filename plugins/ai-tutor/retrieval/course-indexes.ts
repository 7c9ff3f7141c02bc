import type { TenantScope } from '../../../core/plugin-api.js';
import { contentVersion } from '../materials/course-versions.js';
import { type ChunkRow, TABLES } from '../tables.js';
import { LexicalIndex, type Passage } from './lexical-index.js';

const MAX_COURSES = 64;

interface Entry {
  version: number;
  index: Promise<LexicalIndex>;
}

/**
 * Each course's search index, kept in memory and keyed by the course's content version: a question
 * costs one small query for the version, and the index is rebuilt from PostgreSQL only after the
 * materials students read have changed (in any process).
 */
export class CourseIndexes {
  private readonly entries = new Map<string, Entry>();

  async forCourse(scope: TenantScope, courseId: string): Promise<{ index: LexicalIndex; version: number }> {
    const version = await contentVersion(scope, courseId);
    const key = `${scope.tenantId}\u0000${courseId}`;
    let entry = this.entries.get(key);
    if (!entry || entry.version !== version) {
      entry = { version, index: this.build(scope, courseId) };
      this.entries.delete(key);
      if (this.entries.size >= MAX_COURSES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, entry);
      entry.index.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    return { index: await entry.index, version };
  }

  private async build(scope: TenantScope, courseId: string): Promise<LexicalIndex> {
    const rows = await scope.query<ChunkRow & { title: string; view_key: string }>(
      `SELECT c.id, c.material_id, c.heading_path, c.page, c.position, c.text, m.title, m.view_key
         FROM ${TABLES.chunks} c JOIN ${TABLES.materials} m ON m.id = c.material_id AND m.current_version_id = c.version_id
        WHERE c.tenant_id = $1 AND c.course_id = $2`,
      [courseId],
    );
    const passages: Passage[] = rows.map((row) => ({
      id: row.id,
      materialId: row.material_id,
      materialTitle: row.title,
      viewKey: row.view_key,
      headingPath: row.heading_path,
      page: row.page,
      position: row.position,
      text: row.text,
    }));
    return new LexicalIndex(passages);
  }
}
