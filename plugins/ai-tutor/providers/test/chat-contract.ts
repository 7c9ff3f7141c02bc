import { expect, it } from 'vitest';
import type { ChatDelta, ChatMessage, ChatProvider } from '../types.js';

export const CONTRACT_MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a tutor. Answer in one short sentence.' },
  { role: 'user', content: 'What colour is the sky on a clear day?' },
];

export async function collect(stream: AsyncIterable<ChatDelta>): Promise<ChatDelta[]> {
  const deltas: ChatDelta[] = [];
  for await (const delta of stream) deltas.push(delta);
  return deltas;
}

/** What every chat provider promises the tutor's answer stream. */
export function chatProviderContract(provider: () => ChatProvider, options: { maxTokens: number }): void {
  it('streams text in several pieces and reports usage on the last one', async () => {
    const deltas = await collect(provider().stream(CONTRACT_MESSAGES, { maxTokens: options.maxTokens, temperature: 0 }));
    const text = deltas.map((delta) => delta.text).join('');
    expect(text.trim().length).toBeGreaterThan(0);
    expect(deltas.filter((delta) => delta.text.length > 0).length).toBeGreaterThan(1);
    const usage = deltas.at(-1)!.usage;
    expect(usage?.promptTokens).toBeGreaterThan(0);
    expect(usage?.completionTokens).toBeGreaterThan(0);
    expect(deltas.slice(0, -1).every((delta) => delta.usage === undefined)).toBe(true);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    const reading = (async () => {
      for await (const delta of provider().stream(CONTRACT_MESSAGES, { maxTokens: options.maxTokens, signal: controller.signal })) {
        pieces.push(delta.text);
        if (delta.text) controller.abort();
      }
    })();
    await expect(reading).rejects.toThrow();
    expect(pieces.filter(Boolean)).toHaveLength(1);
  });
}
