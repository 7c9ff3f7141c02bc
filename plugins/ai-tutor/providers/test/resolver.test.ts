import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../core/logger.js';
import type { ModelSettings, PluginContext } from '../../../../core/plugin-api.js';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/harness.js';
import { EMBEDDING_DIMENSIONS, type OpenAiCompatibleServer, startOpenAiCompatibleServer } from '../../../../test/support/openai-compatible-server.js';
import { testModel } from '../../../../test/support/test-models.js';
import { resolveTutorProviders } from '../index.js';
import { collect } from './chat-contract.js';
import { vectorTableHost } from './vector-table-host.js';

/** A real logger whose lines the test reads. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger('info', destination as never), lines };
}

let platform: TestPlatform;
let db: PluginContext['db'];
let server: OpenAiCompatibleServer;
const modelsDir = mkdtempSync(join(tmpdir(), 'osv-models-'));

beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
  platform = await startTestPlatform({ plugins: [vectorTableHost((handle) => (db = handle))] });
});
afterAll(async () => {
  await server?.close();
  await platform?.close();
});

describe('resolveTutorProviders', () => {
  it('with no model configured, runs lexical and extractive and says how to add a model', async () => {
    const { log, lines } = recordingLogger();
    const providers = await resolveTutorProviders({ modelsDir }, { log, db });
    expect(providers).toMatchObject({ embedding: null, vectorStore: null, chat: null, transcription: null });
    const description = providers.describe();
    expect(description.embedding).toMatch(/lexical retrieval only.*osv models pull.*OSV_EMBEDDING_MODEL/);
    expect(description.chat).toMatch(/extractive.*LLM_BASE_URL.*OSV_LLM_MODEL/);
    expect(description.transcription).toMatch(/TRANSCRIPTION_BASE_URL/);
    expect(lines).toEqual([]);
    await providers.close();
  });

  it('uses the remote endpoints when they are configured, with the embedded vector store', async () => {
    const { log } = recordingLogger();
    const settings: ModelSettings = {
      modelsDir,
      chat: { baseUrl: server.baseUrl, apiKey: 'sk-secret-chat', model: 'remote-chat' },
      embeddings: { baseUrl: server.baseUrl, model: 'remote-embedder' },
      transcription: { baseUrl: server.baseUrl },
      localEmbeddingModel: 'not-used',
    };
    const providers = await resolveTutorProviders(settings, { log, db });
    expect(providers.embedding?.id).toBe('openai-compatible:remote-embedder');
    expect(providers.embedding?.dimensions).toBe(EMBEDDING_DIMENSIONS);
    expect(providers.vectorStore?.id).toBe('postgres');
    expect(providers.chat?.id).toBe('openai-compatible:remote-chat');
    expect(providers.transcription?.id).toBe('openai-compatible:whisper-1');
    const host = new URL(server.baseUrl).host;
    expect(providers.describe()).toEqual({
      embedding: `OpenAI-compatible remote-embedder at ${host}`,
      vectors: 'PostgreSQL (exact cosine search)',
      chat: `OpenAI-compatible remote-chat at ${host}`,
      transcription: `OpenAI-compatible whisper-1 at ${host}`,
    });
    expect(JSON.stringify(providers.describe())).not.toContain('sk-secret');
    expect((await collect(providers.chat!.stream([{ role: 'user', content: 'hi' }], { maxTokens: 5 }))).length).toBeGreaterThan(0);
    await providers.close();
  });

  it('uses Qdrant as the vector store when QDRANT_URL is set', async () => {
    const { log } = recordingLogger();
    const providers = await resolveTutorProviders(
      { modelsDir, embeddings: { baseUrl: server.baseUrl, model: 'remote-embedder' }, qdrant: { url: 'http://127.0.0.1:6333' } },
      { log, db },
    );
    expect(providers.vectorStore?.id).toBe('qdrant');
    expect(providers.describe().vectors).toBe('Qdrant at 127.0.0.1:6333');
  });

  it('logs one clear line and leaves the part empty for a model that is not there', async () => {
    const { log, lines } = recordingLogger();
    const providers = await resolveTutorProviders({ modelsDir, localEmbeddingModel: 'nobody/absent-model', localChatModel: 'absent.gguf' }, { log, db });
    expect(providers.embedding).toBeNull();
    expect(providers.chat).toBeNull();
    expect(lines.map((line) => line.msg)).toEqual([
      expect.stringMatching(/OSV_EMBEDDING_MODEL=nobody\/absent-model is neither a folder nor a model in .*osv models pull/),
      expect.stringMatching(/OSV_LLM_MODEL=absent.gguf is neither a .gguf file nor a model in .*osv models pull/),
    ]);
  });

  it('says when an endpoint is named without a model', async () => {
    const { log, lines } = recordingLogger();
    const providers = await resolveTutorProviders({ modelsDir, chat: { baseUrl: server.baseUrl }, embeddings: { baseUrl: server.baseUrl } }, { log, db });
    expect(providers.chat).toBeNull();
    expect(providers.embedding).toBeNull();
    expect(lines.map((line) => line.msg).sort()).toEqual([
      expect.stringMatching(/EMBEDDING_BASE_URL is set but EMBEDDING_MODEL is not/),
      expect.stringMatching(/LLM_BASE_URL is set but LLM_MODEL is not/),
    ]);
  });

  it('keeps an unreachable embedding endpoint, logging that it did not answer', async () => {
    const { log, lines } = recordingLogger();
    const providers = await resolveTutorProviders({ modelsDir, embeddings: { baseUrl: 'http://127.0.0.1:9/v1', model: 'x' } }, { log, db });
    expect(providers.embedding?.id).toBe('openai-compatible:x');
    expect(lines.map((line) => line.msg)).toEqual([expect.stringMatching(/embedding endpoint at 127.0.0.1:9 did not answer/)]);
  }, 60_000);

  it('without a database or Qdrant, drops the embedding model rather than embed for nothing', async () => {
    const { log, lines } = recordingLogger();
    const providers = await resolveTutorProviders({ modelsDir, embeddings: { baseUrl: server.baseUrl, model: 'remote-embedder' } }, { log });
    expect(providers.embedding).toBeNull();
    expect(providers.vectorStore).toBeNull();
    expect(lines.map((line) => line.msg)).toEqual([expect.stringMatching(/no vector store/)]);
  });
});

const MINILM = testModel('all-MiniLM-L6-v2-int8');
describe.skipIf(!MINILM.present)(MINILM.title('resolveTutorProviders with a local model'), () => {
  it('finds a model by name under the models directory and loads it in-process', async () => {
    mkdirSync(join(modelsDir, 'sentence-transformers'), { recursive: true });
    symlinkSync(MINILM.path, join(modelsDir, 'sentence-transformers', 'all-MiniLM-L6-v2-int8'));
    const { log, lines } = recordingLogger();
    const providers = await resolveTutorProviders({ modelsDir, localEmbeddingModel: 'sentence-transformers/all-MiniLM-L6-v2-int8' }, { log, db });
    try {
      expect(providers.embedding?.id).toBe('local:all-MiniLM-L6-v2-int8');
      expect(providers.vectorStore?.id).toBe('postgres');
      expect(providers.describe().embedding).toBe('local ONNX all-MiniLM-L6-v2-int8 (384 dimensions)');
      expect(lines).toEqual([]);
    } finally {
      await providers.close();
    }
  }, 180_000);
});
