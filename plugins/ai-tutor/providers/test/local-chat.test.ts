import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testModel } from '../../../../test/support/test-models.js';
import { LocalGgufChat } from '../local-chat.js';
import { CONTRACT_MESSAGES, chatProviderContract, collect } from './chat-contract.js';

const GEMMA = testModel('gemma-3-270m-q4_k_m.gguf');

describe.skipIf(!GEMMA.present)(GEMMA.title('local GGUF chat (Gemma 3 270M, Q4_K_M)'), () => {
  let chat: LocalGgufChat;
  beforeAll(async () => {
    chat = await LocalGgufChat.load(GEMMA.path);
  }, 180_000);
  afterAll(() => chat?.close());

  chatProviderContract(() => chat, { maxTokens: 24 });

  it('answers from what the prompt gives it', async () => {
    const deltas = await collect(
      chat.stream(
        [{ role: 'user', content: 'The code word is PINEAPPLE. Repeat after me: the code word is PINEAPPLE. The code word is' }],
        { maxTokens: 16, temperature: 0 },
      ),
    );
    expect(deltas.map((delta) => delta.text).join('')).toMatch(/pineapple/i);
  }, 120_000);

  it('answers requests one after another when they arrive together', async () => {
    const answers = await Promise.all([1, 2].map(() => collect(chat.stream(CONTRACT_MESSAGES, { maxTokens: 8, temperature: 0 }))));
    const texts = answers.map((deltas) => deltas.map((delta) => delta.text).join(''));
    expect(texts[0]!.length).toBeGreaterThan(0);
    expect(texts[1]).toBe(texts[0]);
  }, 120_000);

  it('refuses a file that is not a GGUF model', async () => {
    await expect(LocalGgufChat.load(new URL('./fixtures/reference-embeddings.json', import.meta.url).pathname)).rejects.toThrow();
  });
});
