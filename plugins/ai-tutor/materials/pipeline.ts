import { z } from 'zod';
import type { JobRecord, PluginContext, TenantScope, Transaction } from '../../../core/plugin-api.js';
import { buildSummaryPrompt } from '../answering/prompt.js';
import type { TutorRuntime } from '../runtime.js';
import { type ChunkRow, type MaterialRow, type PipelineStage, TABLES, type VersionRow } from '../tables.js';
import { chunkBlocks } from './chunker.js';
import { bumpContentVersion } from './course-versions.js';
import { type TextBlock, UnreadableMaterialError } from './document.js';
import { parseMaterial, TranscriptionNotConfiguredError } from './parse-material.js';
import { extractiveSummary } from './summary.js';

const payloadSchema = z.object({ versionId: z.uuid() });
const EMBED_BATCH = 64;
const SUMMARY_SOURCE_CHARS = 12_000;

/** Percent done when each stage starts. */
const PROGRESS: Record<PipelineStage, number> = { parse: 0, chunk: 20, embed: 40, index: 70, summarise: 85, done: 100 };

/**
 * parse → chunk → embed → index → summarise, one job each, with the stage and percent on the
 * version row. A file that cannot be read fails alone with a reason and leaves no chunks; students
 * keep reading the previous version until `index` switches the material to this one.
 */
export class MaterialPipeline {
  constructor(
    private readonly ctx: PluginContext,
    private readonly runtime: TutorRuntime,
  ) {}

  define(): void {
    const { jobs } = this.ctx;
    jobs.define('parse', (job, tx) => this.step(job, tx, 'parse', (scope, version) => this.parse(scope, version, tx)), { maxAttempts: 3 });
    jobs.define('chunk', (job, tx) => this.step(job, tx, 'chunk', (scope, version) => this.chunk(scope, version, tx)), { maxAttempts: 3 });
    jobs.define('embed', (job, tx) => this.step(job, tx, 'embed', (scope, version) => this.embed(scope, version, tx)), { maxAttempts: 3 });
    jobs.define('index', (job, tx) => this.step(job, tx, 'index', (scope, version) => this.index(scope, version, tx)), { maxAttempts: 5 });
    jobs.define('summarise', (job, tx) => this.step(job, tx, 'summarise', (scope, version) => this.summarise(scope, version, tx)), {
      maxAttempts: 3,
    });
  }

  /** Starts processing a version that was just inserted (in the same transaction). */
  start(tenantId: string, versionId: string, tx: Transaction): Promise<string> {
    return this.ctx.jobs.enqueue('parse', { versionId }, { tenantId, transaction: tx });
  }

  private async step(
    job: JobRecord,
    tx: Transaction,
    stage: PipelineStage,
    run: (scope: TenantScope, version: VersionRow) => Promise<PipelineStage | undefined>,
  ): Promise<void> {
    if (!job.tenantId) return;
    const { versionId } = payloadSchema.parse(job.payload);
    const scope = this.ctx.db.forTenant(job.tenantId);
    const [version] = await scope.query<VersionRow>(`SELECT * FROM ${TABLES.versions} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [versionId], tx);
    // Deleted, or replaced by a newer upload in the meantime: nothing left to do.
    if (!version || version.status === 'failed' || version.status === 'superseded' || version.stage !== stage) return;
    try {
      const next = await run(scope, version);
      if (!next) return;
      const finished = next === 'done';
      await scope.update(
        TABLES.versions,
        { id: version.id },
        { stage: next, percent: PROGRESS[next], status: finished ? 'ready' : 'processing', ...(finished ? { finished_at: new Date() } : {}) },
        tx,
      );
      if (!finished) await this.ctx.jobs.enqueue(next, { versionId }, { tenantId: job.tenantId, transaction: tx });
    } catch (error) {
      if (error instanceof UnreadableMaterialError) return this.fail(scope, version, 'failed', error.message, tx);
      if (error instanceof TranscriptionNotConfiguredError) return this.fail(scope, version, 'needs_transcription', error.message, tx);
      throw error;
    }
  }

  private async fail(scope: TenantScope, version: VersionRow, status: 'failed' | 'needs_transcription', reason: string, tx: Transaction) {
    await scope.remove(TABLES.chunks, { version_id: version.id }, tx);
    await scope.update(TABLES.versions, { id: version.id }, { status, error: reason, sections: null, finished_at: new Date() }, tx);
    this.ctx.log.info({ versionId: version.id, status, reason }, 'material not indexed');
  }

  private async parse(scope: TenantScope, version: VersionRow, tx: Transaction): Promise<PipelineStage> {
    const blocks = await parseMaterial(version.kind, version.content, { filename: version.filename, mediaType: version.media_type }, this.runtime.transcription);
    await scope.update(TABLES.versions, { id: version.id }, { sections: JSON.stringify(blocks) }, tx);
    return 'chunk';
  }

  private async chunk(scope: TenantScope, version: VersionRow, tx: Transaction): Promise<PipelineStage> {
    const material = await this.material(scope, version, tx);
    const chunks = chunkBlocks(version.sections ?? []);
    await scope.remove(TABLES.chunks, { version_id: version.id }, tx);
    if (chunks.length === 0) throw new UnreadableMaterialError('The file has no text to read. Check that it is the right file and upload it again.');
    const rows = chunks.map((chunk) => ({
      position: chunk.position,
      heading_path: chunk.headingPath,
      page: chunk.page ?? null,
      text: chunk.text,
      token_count: chunk.tokenCount,
    }));
    await scope.query(
      `INSERT INTO ${TABLES.chunks} (tenant_id, course_id, material_id, version_id, position, heading_path, page, text, token_count)
       SELECT m.tenant_id, m.course_id, m.id, $3, c.position, ARRAY(SELECT jsonb_array_elements_text(c.heading_path)), c.page, c.text, c.token_count
         FROM ${TABLES.materials} m, jsonb_to_recordset($4::jsonb) AS c(position int, heading_path jsonb, page int, text text, token_count int)
        WHERE m.tenant_id = $1 AND m.id = $2`,
      [material.id, version.id, JSON.stringify(rows)],
      tx,
    );
    return 'embed';
  }

  private async embed(scope: TenantScope, version: VersionRow, tx: Transaction): Promise<PipelineStage> {
    const { embedding, vectorStore } = this.runtime;
    if (!embedding || !vectorStore) return 'index';
    const material = await this.material(scope, version, tx);
    const chunks = await scope.select<ChunkRow>(TABLES.chunks, { version_id: version.id }, { orderBy: 'position', transaction: tx });
    try {
      const items = [];
      for (let start = 0; start < chunks.length; start += EMBED_BATCH) {
        const batch = chunks.slice(start, start + EMBED_BATCH);
        const vectors = await embedding.embedDocuments(batch.map((chunk) => [...chunk.heading_path, chunk.text].join('\n')));
        items.push(...batch.map((chunk, index) => ({ chunkId: chunk.id, materialId: material.id, vector: vectors[index]! })));
      }
      await vectorStore.upsert({ tenantId: scope.tenantId, courseId: material.course_id, model: embedding.id }, items);
    } catch (error) {
      // Lexical retrieval still works; a re-index embeds again once the model is back.
      this.ctx.log.warn({ err: error, versionId: version.id }, 'embedding failed; the material is searchable lexically only');
    }
    return 'index';
  }

  private async index(scope: TenantScope, version: VersionRow, tx: Transaction): Promise<PipelineStage | undefined> {
    const [material] = await scope.query<MaterialRow>(`SELECT * FROM ${TABLES.materials} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [version.material_id], tx);
    if (!material) return 'done';
    if (material.latest_version_id !== version.id) {
      await scope.remove(TABLES.chunks, { version_id: version.id }, tx);
      await scope.update(TABLES.versions, { id: version.id }, { status: 'superseded', sections: null, finished_at: new Date() }, tx);
      return undefined;
    }
    // The switch: students read this version from the commit on; older versions go with their chunks.
    await scope.update(TABLES.materials, { id: material.id }, { current_version_id: version.id, updated_at: new Date() }, tx);
    await scope.query(`DELETE FROM ${TABLES.versions} WHERE tenant_id = $1 AND material_id = $2 AND id <> $3`, [material.id, version.id], tx);
    await bumpContentVersion(scope, material.course_id, tx);
    return 'summarise';
  }

  private async summarise(scope: TenantScope, version: VersionRow, tx: Transaction): Promise<PipelineStage> {
    const material = await this.material(scope, version, tx);
    const blocks = version.sections ?? [];
    const { summary, source } = await this.summaryOf(material.title, blocks);
    await scope.update(TABLES.materials, { id: material.id }, { summary, summary_source: source }, tx);
    await scope.update(TABLES.versions, { id: version.id }, { sections: null }, tx);
    return 'done';
  }

  private async summaryOf(title: string, blocks: TextBlock[]): Promise<{ summary: string; source: 'model' | 'extractive' }> {
    const chat = this.runtime.chat;
    if (chat) {
      try {
        let text = '';
        const source = blocks.map((block) => block.text).join('\n\n').slice(0, SUMMARY_SOURCE_CHARS);
        for await (const delta of chat.stream(buildSummaryPrompt(title, source), { maxTokens: 300, temperature: 0.2 })) text += delta.text;
        if (text.trim()) return { summary: text.trim(), source: 'model' };
      } catch (error) {
        this.ctx.log.warn({ err: error }, 'the chat model could not summarise; using an extractive summary');
      }
    }
    return { summary: extractiveSummary(blocks), source: 'extractive' };
  }

  private async material(scope: TenantScope, version: VersionRow, tx: Transaction): Promise<MaterialRow> {
    const material = await scope.findOne<MaterialRow>(TABLES.materials, { id: version.material_id }, tx);
    if (!material) throw new Error(`material ${version.material_id} is gone`);
    return material;
  }
}
