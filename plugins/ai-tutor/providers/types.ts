/**
 * The three replaceable parts of the tutor, one interface each. Every tier (no model, local model
 * in-process, remote endpoint) implements the same interface; the tutor picks the best one that is
 * configured and falls back to the tier below when it fails, flagging the answer `degraded`.
 */

/** Turns text into vectors. `embedQuery` and `embedDocuments` differ for models that need prefixes. */
export interface EmbeddingProvider {
  /** Stable name of the model, stored with each vector so a model change forces re-embedding. */
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array>;
}

/** Where a course's chunk vectors live; every call is scoped to one tenant and one course. */
export interface VectorStore {
  readonly id: string;
  /** Replaces every vector of one material version in one step. */
  upsert(scope: VectorScope, items: VectorItem[]): Promise<void>;
  deleteMaterial(scope: VectorScope, materialId: string): Promise<void>;
  /** Cosine similarity, best first. */
  search(scope: VectorScope, query: Float32Array, limit: number, signal?: AbortSignal): Promise<VectorHit[]>;
  /** Reachable and usable (for `/ready` details). */
  healthy(): Promise<boolean>;
}

export interface VectorScope {
  tenantId: string;
  courseId: string;
  /** The embedding model's id: vectors of different models are never compared. */
  model: string;
}

export interface VectorItem {
  chunkId: string;
  materialId: string;
  vector: Float32Array;
}

export interface VectorHit {
  chunkId: string;
  score: number;
}

/** A chat message; `content` of user/system roles is built by the tutor's prompt builder only. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Writes answers; streams plain-text pieces. */
export interface ChatProvider {
  readonly id: string;
  stream(messages: ChatMessage[], options: ChatOptions): AsyncIterable<ChatDelta>;
}

export interface ChatOptions {
  maxTokens: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface ChatDelta {
  text: string;
  /** Present on the last delta when the provider reports usage. */
  usage?: { promptTokens: number; completionTokens: number };
}

/** Audio and video to text, with segment times so citations can point at a moment. */
export interface TranscriptionProvider {
  readonly id: string;
  transcribe(file: { bytes: Uint8Array; filename: string; mimeType: string }, signal?: AbortSignal): Promise<Transcript>;
}

export interface Transcript {
  text: string;
  segments: Array<{ start: number; end: number; text: string }>;
}
