import { randomBytes } from 'node:crypto';
import { OsvError, type PluginContext, type Transaction } from '../../../core/plugin-api.js';
import type { TutorRuntime } from '../runtime.js';
import { type MaterialRow, TABLES, type VersionRow } from '../tables.js';
import { bumpContentVersion } from './course-versions.js';
import type { MaterialPipeline } from './pipeline.js';
import { sniffMaterial } from './sniff.js';
import type { UploadedFile } from './upload.js';

/** What instructors see of a material: the version students read and the newest upload's progress. */
export interface MaterialView {
  id: string;
  courseId: string;
  title: string;
  /** Students can ask about it (a version is indexed). */
  live: boolean;
  filename: string;
  kind: string;
  mediaType: string;
  sizeBytes: number;
  status: VersionRow['status'];
  stage: VersionRow['stage'];
  percent: number;
  /** Why the newest upload could not be indexed, in words an instructor can act on. */
  error: string | null;
  summary: string | null;
  summarySource: MaterialRow['summary_source'];
  createdAt: string;
  updatedAt: string;
}

type ListedRow = MaterialRow & Pick<VersionRow, 'filename' | 'kind' | 'media_type' | 'size_bytes' | 'status' | 'stage' | 'percent' | 'error'>;

const SELECT_LISTED = `SELECT m.*, v.filename, v.kind, v.media_type, v.size_bytes, v.status, v.stage, v.percent, v.error
  FROM ${TABLES.materials} m JOIN ${TABLES.versions} v ON v.id = m.latest_version_id`;

function view(row: ListedRow): MaterialView {
  return {
    id: row.id,
    courseId: row.course_id,
    title: row.title,
    live: row.current_version_id !== null,
    filename: row.filename,
    kind: row.kind,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    status: row.status,
    stage: row.stage,
    percent: row.percent,
    error: row.error,
    summary: row.summary,
    summarySource: row.summary_source,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function titleFrom(filename: string): string {
  return filename.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[_-]+/g, ' ').trim().slice(0, 200) || 'Material';
}

/** Upload, replace, re-index, delete and list a course's materials. */
export class MaterialService {
  constructor(
    private readonly ctx: PluginContext,
    private readonly pipeline: MaterialPipeline,
    private readonly runtime: TutorRuntime,
  ) {}

  async list(tenantId: string, courseId: string): Promise<MaterialView[]> {
    const rows = await this.ctx.db.forTenant(tenantId).query<ListedRow>(`${SELECT_LISTED} WHERE m.tenant_id = $1 AND m.course_id = $2 ORDER BY m.created_at`, [courseId]);
    return rows.map(view);
  }

  async get(tenantId: string, materialId: string): Promise<MaterialView> {
    const [row] = await this.ctx.db.forTenant(tenantId).query<ListedRow>(`${SELECT_LISTED} WHERE m.tenant_id = $1 AND m.id = $2`, [materialId]);
    if (!row) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such material in this tenant');
    return view(row);
  }

  async create(tenantId: string, courseId: string, createdBy: string, file: UploadedFile): Promise<MaterialView> {
    const type = await this.typeOf(file);
    const title = (file.fields.title ?? '').trim().slice(0, 200) || titleFrom(file.filename);
    const scope = this.ctx.db.forTenant(tenantId);
    const materialId = await this.ctx.db.transaction(async (tx) => {
      const material = await scope.insert<MaterialRow>(
        TABLES.materials,
        { course_id: courseId, title, view_key: randomBytes(18).toString('base64url'), created_by: createdBy },
        tx,
      );
      await this.addVersion(tenantId, material.id, { filename: file.filename, media_type: type.mediaType, kind: type.kind, content: file.bytes }, tx);
      return material.id;
    });
    return this.get(tenantId, materialId);
  }

  /** A new file for a material: students keep the current version until this one is indexed. */
  async replace(tenantId: string, materialId: string, file: UploadedFile): Promise<MaterialView> {
    const type = await this.typeOf(file);
    await this.ctx.db.transaction(async (tx) => {
      const material = await this.lock(tenantId, materialId, tx);
      const title = (file.fields.title ?? '').trim().slice(0, 200);
      if (title) await this.ctx.db.forTenant(tenantId).update(TABLES.materials, { id: material.id }, { title }, tx);
      await this.addVersion(tenantId, material.id, { filename: file.filename, media_type: type.mediaType, kind: type.kind, content: file.bytes }, tx);
    });
    return this.get(tenantId, materialId);
  }

  /** Processes the newest file again (after a parser, model or transcription change). */
  async reindex(tenantId: string, materialId: string): Promise<MaterialView> {
    await this.ctx.db.transaction(async (tx) => {
      const material = await this.lock(tenantId, materialId, tx);
      const scope = this.ctx.db.forTenant(tenantId);
      const source = await scope.findOne<VersionRow>(TABLES.versions, { id: material.latest_version_id }, tx);
      if (!source) throw new OsvError('OSV_ERR_NOT_FOUND', 'This material has no file to index; upload one');
      await this.addVersion(tenantId, material.id, { filename: source.filename, media_type: source.media_type, kind: source.kind, content: source.content }, tx);
    });
    return this.get(tenantId, materialId);
  }

  async delete(tenantId: string, materialId: string): Promise<void> {
    const material = await this.ctx.db.transaction(async (tx) => {
      const locked = await this.lock(tenantId, materialId, tx);
      const scope = this.ctx.db.forTenant(tenantId);
      await scope.remove(TABLES.materials, { id: locked.id }, tx);
      await bumpContentVersion(scope, locked.course_id, tx);
      return locked;
    });
    const { embedding, vectorStore } = this.runtime;
    if (embedding && vectorStore) {
      await vectorStore
        .deleteMaterial({ tenantId, courseId: material.course_id, model: embedding.id }, material.id)
        .catch((error: unknown) => this.ctx.log.warn({ err: error, materialId }, 'could not delete the material vectors; they are ignored once the chunks are gone'));
    }
  }

  private async typeOf(file: UploadedFile) {
    const type = await sniffMaterial(file.bytes);
    if (!type) {
      throw new OsvError(
        'OSV_ERR_UNSUPPORTED_MEDIA_TYPE',
        `${file.filename} is not a file the tutor can read (judged from its contents, not its name). Upload PDF, Word (.docx), HTML, Markdown, plain text (UTF-8), audio or video.`,
      );
    }
    return type;
  }

  private async lock(tenantId: string, materialId: string, tx: Transaction): Promise<MaterialRow> {
    const [material] = await this.ctx.db
      .forTenant(tenantId)
      .query<MaterialRow>(`SELECT * FROM ${TABLES.materials} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [materialId], tx);
    if (!material) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such material in this tenant');
    return material;
  }

  private async addVersion(
    tenantId: string,
    materialId: string,
    file: Pick<VersionRow, 'filename' | 'media_type' | 'kind' | 'content'>,
    tx: Transaction,
  ): Promise<void> {
    const scope = this.ctx.db.forTenant(tenantId);
    const version = await scope.insert<VersionRow>(TABLES.versions, { material_id: materialId, ...file, size_bytes: file.content.length }, tx);
    await scope.update(TABLES.materials, { id: materialId }, { latest_version_id: version.id, updated_at: new Date() }, tx);
    await this.pipeline.start(tenantId, version.id, tx);
  }
}
