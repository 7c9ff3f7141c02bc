import type { Logger, ModelSettings } from '../../../core/plugin-api.js';
import type { ChatProvider, EmbeddingProvider, TranscriptionProvider, VectorStore } from './types.js';

export type * from './types.js';

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

/** Builds the providers the deployment's settings name. Never throws for a missing model: that part is null. */
export async function resolveTutorProviders(
  _settings: ModelSettings,
  _deps: { log: Logger },
): Promise<TutorProviders> {
  return {
    embedding: null,
    vectorStore: null,
    chat: null,
    transcription: null,
    describe: () => ({
      embedding: 'none (lexical retrieval only)',
      vectors: 'none',
      chat: 'none (extractive answers quoted from the materials)',
      transcription: 'not configured',
    }),
    close: async () => {},
  };
}
