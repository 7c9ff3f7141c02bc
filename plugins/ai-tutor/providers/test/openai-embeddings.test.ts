import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS, type OpenAiCompatibleServer, startOpenAiCompatibleServer } from '../../../../test/support/openai-compatible-server.js';
import { OpenAiCompatibleEmbeddings } from '../openai-embeddings.js';
import { embeddingProviderContract } from './embedding-contract.js';

let server: OpenAiCompatibleServer;
let embeddings: OpenAiCompatibleEmbeddings;

beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
  embeddings = new OpenAiCompatibleEmbeddings({ baseUrl: server.baseUrl, apiKey: 'sk-embed-test', model: 'test-embedder' });
});
afterAll(() => server.close());

describe('OpenAI-compatible embeddings: contract', () => {
  embeddingProviderContract(() => embeddings);
});

describe('OpenAI-compatible embeddings: the wire', () => {
  it('asks for floats, names the model, sends the key and batches inputs', async () => {
    const before = server.requestsTo('/v1/embeddings').length;
    const texts = Array.from({ length: 130 }, (_, index) => `text ${index}`);
    const vectors = await embeddings.embedDocuments(texts);
    expect(vectors).toHaveLength(130);
    expect(embeddings.dimensions).toBe(EMBEDDING_DIMENSIONS);
    const sent = server.requestsTo('/v1/embeddings').slice(before);
    expect(sent.map((request) => (request.body.input as string[]).length)).toEqual([64, 64, 2]);
    for (const request of sent) {
      expect(request.body).toMatchObject({ model: 'test-embedder', encoding_format: 'float' });
      expect(request.headers.authorization).toBe('Bearer sk-embed-test');
    }
  });

  it('retries a failed request and then succeeds', async () => {
    server.fail({ kind: 'status', status: 500 }, 1);
    const vector = await embeddings.embedQuery('retry me');
    expect(vector).toHaveLength(EMBEDDING_DIMENSIONS);
  });

  it('rejects when the endpoint keeps failing, so the caller can fall back', async () => {
    server.fail({ kind: 'status', status: 500 });
    try {
      await expect(embeddings.embedQuery('nothing works')).rejects.toThrow(/500/);
    } finally {
      server.recover();
    }
  });
});
