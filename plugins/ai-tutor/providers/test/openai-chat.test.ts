import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REPLY, type OpenAiCompatibleServer, startOpenAiCompatibleServer } from '../../../../test/support/openai-compatible-server.js';
import { OpenAiCompatibleChat } from '../openai-chat.js';
import { CONTRACT_MESSAGES, chatProviderContract, collect } from './chat-contract.js';

let server: OpenAiCompatibleServer;
let chat: OpenAiCompatibleChat;

beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
  chat = new OpenAiCompatibleChat({ baseUrl: server.baseUrl, model: 'test-chat' });
});
afterAll(() => server.close());

describe('OpenAI-compatible chat: contract', () => {
  chatProviderContract(() => chat, { maxTokens: 64 });
});

describe('OpenAI-compatible chat: the wire', () => {
  it('sends the messages, model and limits, streamed with usage, and yields the reply verbatim', async () => {
    const deltas = await collect(chat.stream(CONTRACT_MESSAGES, { maxTokens: 200, temperature: 0.2 }));
    expect(deltas.map((delta) => delta.text).join('')).toBe(DEFAULT_REPLY);
    expect(server.requestsTo('/v1/chat/completions').at(-1)!.body).toMatchObject({
      model: 'test-chat',
      messages: CONTRACT_MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 200,
      temperature: 0.2,
    });
  });

  it('rejects at once on a server error, without retrying', async () => {
    const before = server.requestsTo('/v1/chat/completions').length;
    server.fail({ kind: 'status', status: 500 }, 1);
    await expect(collect(chat.stream(CONTRACT_MESSAGES, { maxTokens: 50 }))).rejects.toThrow(/500/);
    expect(server.requestsTo('/v1/chat/completions').length - before).toBe(1);
  });

  it('rejects when the connection drops in the middle of the answer', async () => {
    server.fail({ kind: 'drop-mid-stream' }, 1);
    const pieces: string[] = [];
    await expect(
      (async () => {
        for await (const delta of chat.stream(CONTRACT_MESSAGES, { maxTokens: 50 })) pieces.push(delta.text);
      })(),
    ).rejects.toThrow();
    expect(pieces.join('')).not.toBe(DEFAULT_REPLY);
  });

  it('can be abandoned while the server does not answer', async () => {
    server.fail({ kind: 'hang' }, 1);
    const controller = new AbortController();
    const answer = collect(chat.stream(CONTRACT_MESSAGES, { maxTokens: 50, signal: controller.signal }));
    await expect.poll(() => server.requestsTo('/v1/chat/completions').length).toBeGreaterThan(0);
    controller.abort();
    await expect(answer).rejects.toThrow(/abort/i);
    server.recover();
  });
});
