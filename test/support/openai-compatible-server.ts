import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Listening, listen } from './http-servers.js';

/** One request the server received, body parsed (JSON, or the form fields of a multipart upload). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/**
 * How the next requests fail: an HTTP status with an OpenAI-style error body, a connection closed
 * before any answer, a stream cut after its first chunk, or no answer at all until `recover()`.
 */
export type Failure = { kind: 'status'; status: number } | { kind: 'drop' } | { kind: 'drop-mid-stream' } | { kind: 'hang' };

export interface Transcription {
  text: string;
  segments: Array<{ start: number; end: number; text: string }>;
}

export interface OpenAiCompatibleServer {
  /** `http://127.0.0.1:<port>/v1`, what `LLM_BASE_URL` and friends take. */
  baseUrl: string;
  /** Every request body, in arrival order. */
  readonly requests: RecordedRequest[];
  requestsTo(path: '/v1/chat/completions' | '/v1/embeddings' | '/v1/audio/transcriptions'): RecordedRequest[];
  /** The chat answer for a request (default: a fixed sentence). */
  reply: (request: RecordedRequest) => string;
  transcription: Transcription;
  /** Makes the next `times` requests (every request when omitted) fail as `failure` says. */
  fail(failure: Failure, times?: number): void;
  /** Ends failures and answers requests held by a `hang`. */
  recover(): void;
  close(): Promise<void>;
}

export const DEFAULT_REPLY = 'According to the course materials, the answer is in the passages above.';
export const EMBEDDING_DIMENSIONS = 64;

/** A recording stand-in for an OpenAI-compatible server: chat (plain and streamed), embeddings, transcriptions. */
export async function startOpenAiCompatibleServer(): Promise<OpenAiCompatibleServer> {
  const requests: RecordedRequest[] = [];
  let failure: { failure: Failure; remaining: number } | undefined;
  const held: ServerResponse[] = [];

  const server: OpenAiCompatibleServer = {
    baseUrl: '',
    requests,
    requestsTo: (path) => requests.filter((request) => request.path === path),
    reply: () => DEFAULT_REPLY,
    transcription: {
      text: 'Welcome to the lecture. Today we talk about photosynthesis.',
      segments: [
        { start: 0, end: 2.5, text: 'Welcome to the lecture.' },
        { start: 2.5, end: 6, text: 'Today we talk about photosynthesis.' },
      ],
    },
    fail(next, times = Number.POSITIVE_INFINITY) {
      failure = { failure: next, remaining: times };
    },
    recover() {
      failure = undefined;
      for (const response of held.splice(0)) response.destroy();
    },
    close: async () => {
      server.recover();
      await listening.close();
    },
  };

  function takeFailure(): Failure | undefined {
    if (!failure || failure.remaining <= 0) return undefined;
    failure.remaining -= 1;
    return failure.failure;
  }

  const listening: Listening = await listen((req, res) => {
    void handle(req, res).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: error.message, type: 'server_error' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, headers: req.headers, body: await readBody(req) };
    requests.push(recorded);
    const failing = takeFailure();
    if (failing?.kind === 'status') return sendJson(res, failing.status, { error: { message: `simulated failure ${failing.status}`, type: 'server_error' } });
    if (failing?.kind === 'drop') return void res.destroy();
    if (failing?.kind === 'hang') return void held.push(res);

    switch (recorded.path) {
      case '/v1/chat/completions':
        return recorded.body.stream ? streamChat(res, recorded, failing?.kind === 'drop-mid-stream') : completeChat(res, recorded);
      case '/v1/embeddings':
        return sendEmbeddings(res, recorded);
      case '/v1/audio/transcriptions':
        return sendJson(res, 200, { task: 'transcribe', language: 'english', duration: server.transcription.segments.at(-1)?.end ?? 0, ...server.transcription });
      default:
        return sendJson(res, 404, { error: { message: `no route ${recorded.path}`, type: 'invalid_request_error' } });
    }
  }

  function completeChat(res: ServerResponse, request: RecordedRequest): void {
    const content = server.reply(request);
    sendJson(res, 200, {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: usage(request, content),
    });
  }

  function streamChat(res: ServerResponse, request: RecordedRequest, dropAfterFirstChunk: boolean): void {
    const content = server.reply(request);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const base = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.body.model };
    const send = (chunk: object) => res.write(`data: ${JSON.stringify({ ...base, ...chunk })}\n\n`);
    const pieces = content.match(/\S+\s*/g) ?? [];
    send({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    for (const [index, piece] of pieces.entries()) {
      send({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
      if (dropAfterFirstChunk && index === 0) return void res.destroy();
    }
    send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    const options = request.body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) send({ choices: [], usage: usage(request, content) });
    res.end('data: [DONE]\n\n');
  }

  function sendEmbeddings(res: ServerResponse, request: RecordedRequest): void {
    const input = request.body.input;
    const texts = Array.isArray(input) ? (input as string[]) : [String(input)];
    sendJson(res, 200, {
      object: 'list',
      model: request.body.model,
      data: texts.map((text, index) => ({ object: 'embedding', index, embedding: hashedBagOfWords(text) })),
      usage: { prompt_tokens: texts.join(' ').split(/\s+/).length, total_tokens: texts.join(' ').split(/\s+/).length },
    });
  }

  server.baseUrl = `${listening.origin}/v1`;
  return server;
}

/**
 * A deterministic embedding: each lower-cased word adds 1 to a hashed dimension, then the vector
 * is normalised. Texts sharing words are close, so retrieval over it means something.
 */
export function hashedBagOfWords(text: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    vector[createHash('sha1').update(word).digest().readUInt32BE(0) % dimensions]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function usage(request: RecordedRequest, content: string) {
  const promptTokens = JSON.stringify(request.body.messages ?? '').split(/\s+/).length;
  const completionTokens = content.split(/\s+/).filter(Boolean).length;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return {};
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const fields: Record<string, unknown> = {};
    for (const [name, value] of form.entries()) {
      fields[name] = typeof value === 'string' ? value : { filename: value.name, type: value.type, size: value.size };
    }
    return fields;
  }
  return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
