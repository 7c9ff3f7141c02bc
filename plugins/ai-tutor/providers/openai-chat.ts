import type OpenAI from 'openai';
import { type EndpointSettings, openAiClient } from './openai-client.js';
import type { ChatDelta, ChatMessage, ChatOptions, ChatProvider } from './types.js';

/** Any OpenAI-compatible chat completions endpoint, streamed, with usage on the last delta. */
export class OpenAiCompatibleChat implements ChatProvider {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly model: string;

  constructor(endpoint: EndpointSettings & { model: string }) {
    this.id = `openai-compatible:${endpoint.model}`;
    this.model = endpoint.model;
    // No retries: a failed answer falls back to the extractive one at once.
    this.client = openAiClient(endpoint, { timeoutMs: 120_000, maxRetries: 0 });
  }

  async *stream(messages: ChatMessage[], options: ChatOptions): AsyncIterable<ChatDelta> {
    const stream = await this.client.chat.completions.create(
      {
        model: this.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: options.maxTokens,
        temperature: options.temperature,
      },
      { signal: options.signal },
    );
    for await (const chunk of stream) {
      // Chunks already received stay buffered after an abort; none of them reaches the caller.
      options.signal?.throwIfAborted();
      const text = chunk.choices[0]?.delta?.content ?? '';
      const usage = chunk.usage ? { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens } : undefined;
      if (text || usage) yield usage ? { text, usage } : { text };
    }
  }
}
