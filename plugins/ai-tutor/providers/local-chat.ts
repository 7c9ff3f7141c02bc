import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { type ChatHistoryItem, getLlama, type Llama, LlamaChat, type LlamaContext, type LlamaContextSequence, LlamaLogLevel, type LlamaModel } from 'node-llama-cpp';
import { AsyncQueue } from './async-queue.js';
import type { ChatDelta, ChatMessage, ChatOptions, ChatProvider } from './types.js';

/** Prompt plus answer, in tokens: retrieved passages and a short answer fit with room to spare. */
const CONTEXT_SIZE = 4096;
/**
 * llama.cpp's threads wait for each other at every step; on a machine whose cores are busy with
 * other work that wait grows a hundredfold, so half the cores it is (one on a two-core machine).
 */
const THREADS = Math.max(1, Math.floor(availableParallelism() / 2));

/**
 * A GGUF chat model run in-process by llama.cpp on the CPU, with the chat template the file
 * declares. One answer is generated at a time (the model and its context are shared); later
 * requests wait their turn.
 */
export class LocalGgufChat implements ChatProvider {
  readonly id: string;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    path: string,
  ) {
    this.id = `local:${basename(path)}`;
  }

  static async load(path: string): Promise<LocalGgufChat> {
    // The prebuilt CPU binary that ships with the package; never download or compile one.
    const llama = await getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error });
    try {
      const model = await llama.loadModel({ modelPath: path });
      const context = await model.createContext({ contextSize: Math.min(CONTEXT_SIZE, model.trainContextSize), threads: THREADS });
      return new LocalGgufChat(llama, model, context, context.getSequence(), path);
    } catch (error) {
      await llama.dispose();
      throw error;
    }
  }

  stream(messages: ChatMessage[], options: ChatOptions): AsyncIterable<ChatDelta> {
    const deltas = new AsyncQueue<ChatDelta>();
    const turn = this.queue.then(() => this.generate(messages, options, deltas));
    this.queue = turn.catch(() => undefined);
    turn.then(
      () => deltas.end(),
      (error: unknown) => deltas.fail(error),
    );
    return deltas;
  }

  async close(): Promise<void> {
    await this.queue;
    this.sequence.dispose();
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }

  private async generate(messages: ChatMessage[], options: ChatOptions, deltas: AsyncQueue<ChatDelta>): Promise<void> {
    options.signal?.throwIfAborted();
    // One sequence serves every answer in turn; tokens shared with the previous prompt are reused.
    const chat = new LlamaChat({ contextSequence: this.sequence, autoDisposeSequence: false });
    const before = this.sequence.tokenMeter.getState();
    try {
      await chat.generateResponse(chatHistory(messages), {
        maxTokens: options.maxTokens,
        temperature: options.temperature ?? 0,
        signal: options.signal,
        onTextChunk: (text) => {
          if (text) deltas.push({ text });
        },
      });
      const used = this.sequence.tokenMeter.diff(before);
      deltas.push({ text: '', usage: { promptTokens: used.usedInputTokens, completionTokens: used.usedOutputTokens } });
    } finally {
      chat.dispose({ disposeSequence: false });
    }
  }
}

/** The chat as llama.cpp's templates take it, ending with the (empty) answer to write. */
function chatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) =>
    message.role === 'assistant' ? { type: 'model', response: [message.content] } : { type: message.role, text: message.content },
  );
  history.push({ type: 'model', response: [] });
  return history;
}
