import type { MaterialKind, TextBlock } from './materials/document.js';

/** The plugin's tables (`ctx.db.table(name)` gives the same names). */
export const TABLES = {
  courses: 'ai_tutor_courses',
  materials: 'ai_tutor_materials',
  versions: 'ai_tutor_material_versions',
  chunks: 'ai_tutor_chunks',
  conversations: 'ai_tutor_conversations',
  turns: 'ai_tutor_turns',
  usage: 'ai_tutor_usage',
} as const;

export interface MaterialRow {
  id: string;
  tenant_id: string;
  course_id: string;
  title: string;
  /** The version students read; null until the first one is indexed. */
  current_version_id: string | null;
  /** The newest upload (being processed, failed or the current one). */
  latest_version_id: string | null;
  view_key: string;
  summary: string | null;
  summary_source: 'extractive' | 'model' | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export type VersionStatus = 'queued' | 'processing' | 'ready' | 'failed' | 'needs_transcription' | 'superseded';
export type PipelineStage = 'parse' | 'chunk' | 'embed' | 'index' | 'summarise' | 'done';

export interface VersionRow {
  id: string;
  tenant_id: string;
  material_id: string;
  filename: string;
  media_type: string;
  kind: MaterialKind;
  size_bytes: number;
  content: Buffer;
  status: VersionStatus;
  stage: PipelineStage;
  percent: number;
  error: string | null;
  sections: TextBlock[] | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface ChunkRow {
  id: string;
  course_id: string;
  material_id: string;
  version_id: string;
  position: number;
  heading_path: string[];
  page: number | null;
  text: string;
  token_count: number;
}
