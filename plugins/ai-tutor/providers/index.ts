import type { Logger, ModelSettings, PluginContext } from '../../../core/plugin-api.js';
import { endpointHost } from './openai-client.js';
import { OpenAiCompatibleChat } from './openai-chat.js';
import { OpenAiCompatibleEmbeddings } from './openai-embeddings.js';
import { OpenAiCompatibleTranscription } from './openai-transcription.js';
import { ggufFile, resolveModelPath } from './model-paths.js';
import type { ChatProvider, EmbeddingProvider, TranscriptionProvider, VectorStore } from './types.js';

export type * from './types.js';
/** The embedded vector store's tables; list it in the plugin's migrations. */
export { default as vectorsMigration } from './migrations/0100-vectors.js';

/** What the tutor runs with; null where no tier of that part is configured. */
export interface TutorProviders {
  embedding: EmbeddingProvider | null;
  /** Present whenever `embedding` is. */
  vectorStore: VectorStore | null;
  chat: ChatProvider | null;
  transcription: TranscriptionProvider | null;
  /** One line per part for `GET /`, `/ready` and the instructor view, e.g. "local ONNX all-MiniLM-L6-v2". */
  describe(): { embedding: string; vectors: string; chat: string; transcription: string };
  close(): Promise<void>;
}

export interface ResolverDeps {
  log: Logger;
  /** The plugin's database, for the embedded vector store (used when Qdrant is not configured). */
  db?: PluginContext['db'];
}

interface Part<T> {
  provider: T | null;
  description: string;
  close?: () => Promise<void>;
}

const HOW_TO_ADD_EMBEDDINGS =
  'none (lexical retrieval only); to add one: `osv models pull Xenova/all-MiniLM-L6-v2` and OSV_EMBEDDING_MODEL=Xenova/all-MiniLM-L6-v2, or EMBEDDING_BASE_URL and EMBEDDING_MODEL';
const HOW_TO_ADD_CHAT =
  'none (extractive answers quoted from the materials); to add one: LLM_BASE_URL and LLM_MODEL (OpenAI, Ollama, vLLM, llama.cpp), or OSV_LLM_MODEL=<a .gguf file or a folder pulled with `osv models pull`>';
const HOW_TO_ADD_TRANSCRIPTION = 'not configured (audio and video cannot be added); to add it: TRANSCRIPTION_BASE_URL (an OpenAI-compatible /v1/audio/transcriptions)';

/**
 * Builds the providers the deployment's settings name, preferring a remote endpoint over a local
 * model over none, part by part. Never throws for a missing or broken model: it logs one line
 * saying what to fix and leaves that part null, so the tutor runs on the tier below.
 */
export async function resolveTutorProviders(settings: ModelSettings, deps: ResolverDeps): Promise<TutorProviders> {
  const { log } = deps;
  let embedding = await resolveEmbedding(settings, log);
  const vectors = embedding.provider ? await resolveVectorStore(settings, deps) : { provider: null, description: 'none (no embedding model)' };
  if (embedding.provider && !vectors.provider) {
    log.warn('tutor: embeddings are configured but no vector store is available (no QDRANT_URL and no database); retrieval stays lexical');
    await embedding.close?.();
    embedding = { provider: null, description: HOW_TO_ADD_EMBEDDINGS };
  }
  const chat = await resolveChat(settings, log);
  const transcription = resolveTranscription(settings);
  const parts = [embedding, vectors, chat, transcription];
  return {
    embedding: embedding.provider,
    vectorStore: vectors.provider,
    chat: chat.provider,
    transcription: transcription.provider,
    describe: () => ({ embedding: embedding.description, vectors: vectors.description, chat: chat.description, transcription: transcription.description }),
    close: async () => {
      await Promise.all(parts.map((part) => part.close?.()));
    },
  };
}

async function resolveEmbedding(settings: ModelSettings, log: Logger): Promise<Part<EmbeddingProvider>> {
  const remote = settings.embeddings;
  if (remote?.model) {
    const provider = new OpenAiCompatibleEmbeddings({ ...remote, model: remote.model });
    try {
      await provider.embedQuery('dimension probe');
    } catch (error) {
      log.warn(`tutor: the embedding endpoint at ${endpointHost(remote)} did not answer (${message(error)}); materials are embedded once it does`);
    }
    return { provider, description: `OpenAI-compatible ${remote.model} at ${endpointHost(remote)}` };
  }
  if (remote) log.warn('tutor: EMBEDDING_BASE_URL is set but EMBEDDING_MODEL is not; set EMBEDDING_MODEL to the model the endpoint serves');
  if (!settings.localEmbeddingModel) return { provider: null, description: HOW_TO_ADD_EMBEDDINGS };
  const folder = resolveModelPath(settings.localEmbeddingModel, settings.modelsDir);
  if (!folder) {
    log.warn(`tutor: OSV_EMBEDDING_MODEL=${settings.localEmbeddingModel} is neither a folder nor a model in ${settings.modelsDir}; pull it with \`osv models pull <repo>\``);
    return { provider: null, description: HOW_TO_ADD_EMBEDDINGS };
  }
  try {
    const { LocalOnnxEmbeddings } = await import('./local-embeddings.js');
    const provider = await LocalOnnxEmbeddings.load(folder);
    return { provider, description: `local ONNX ${provider.id.slice('local:'.length)} (${provider.dimensions} dimensions)`, close: () => provider.close() };
  } catch (error) {
    log.warn(`tutor: the embedding model in ${folder} could not be loaded (${message(error)}); retrieval stays lexical`);
    return { provider: null, description: HOW_TO_ADD_EMBEDDINGS };
  }
}

async function resolveVectorStore(settings: ModelSettings, deps: ResolverDeps): Promise<Part<VectorStore>> {
  if (settings.qdrant) {
    const { QdrantVectorStore } = await import('./qdrant-vector-store.js');
    return { provider: new QdrantVectorStore(settings.qdrant), description: `Qdrant at ${endpointHost({ baseUrl: settings.qdrant.url })}` };
  }
  if (!deps.db) return { provider: null, description: 'none' };
  const { PostgresVectorStore } = await import('./postgres-vector-store.js');
  return { provider: new PostgresVectorStore(deps.db), description: 'PostgreSQL (exact cosine search)' };
}

async function resolveChat(settings: ModelSettings, log: Logger): Promise<Part<ChatProvider>> {
  const remote = settings.chat;
  if (remote?.model) return { provider: new OpenAiCompatibleChat({ ...remote, model: remote.model }), description: `OpenAI-compatible ${remote.model} at ${endpointHost(remote)}` };
  if (remote) log.warn('tutor: LLM_BASE_URL is set but LLM_MODEL is not; set LLM_MODEL to the model the endpoint serves');
  if (!settings.localChatModel) return { provider: null, description: HOW_TO_ADD_CHAT };
  const found = resolveModelPath(settings.localChatModel, settings.modelsDir);
  if (!found) {
    log.warn(`tutor: OSV_LLM_MODEL=${settings.localChatModel} is neither a .gguf file nor a model in ${settings.modelsDir}; pull it with \`osv models pull <repo> --file <name>.gguf\``);
    return { provider: null, description: HOW_TO_ADD_CHAT };
  }
  try {
    const { LocalGgufChat } = await import('./local-chat.js');
    const provider = await LocalGgufChat.load(ggufFile(found));
    return { provider, description: `local GGUF ${provider.id.slice('local:'.length)}`, close: () => provider.close() };
  } catch (error) {
    log.warn(`tutor: the chat model ${found} could not be loaded (${message(error)}); answers stay extractive`);
    return { provider: null, description: HOW_TO_ADD_CHAT };
  }
}

function resolveTranscription(settings: ModelSettings): Part<TranscriptionProvider> {
  const remote = settings.transcription;
  if (!remote) return { provider: null, description: HOW_TO_ADD_TRANSCRIPTION };
  const provider = new OpenAiCompatibleTranscription(remote);
  return { provider, description: `OpenAI-compatible ${provider.id.slice('openai-compatible:'.length)} at ${endpointHost(remote)}` };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
