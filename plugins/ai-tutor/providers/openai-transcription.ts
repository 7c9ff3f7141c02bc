import { toFile } from 'openai';
import type OpenAI from 'openai';
import { type EndpointSettings, openAiClient } from './openai-client.js';
import type { Transcript, TranscriptionProvider } from './types.js';

const DEFAULT_MODEL = 'whisper-1';

/** Any OpenAI-compatible `/v1/audio/transcriptions`, asked for `verbose_json` to get segment times. */
export class OpenAiCompatibleTranscription implements TranscriptionProvider {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly model: string;

  constructor(endpoint: EndpointSettings) {
    this.model = endpoint.model ?? DEFAULT_MODEL;
    this.id = `openai-compatible:${this.model}`;
    // Long recordings take minutes to transcribe.
    this.client = openAiClient(endpoint, { timeoutMs: 15 * 60_000, maxRetries: 2 });
  }

  async transcribe(file: { bytes: Uint8Array; filename: string; mimeType: string }, signal?: AbortSignal): Promise<Transcript> {
    const upload = await toFile(file.bytes, file.filename, { type: file.mimeType });
    const result = await this.client.audio.transcriptions.create(
      { file: upload, model: this.model, response_format: 'verbose_json', timestamp_granularities: ['segment'] },
      { signal },
    );
    const segments = (result.segments ?? []).map((segment) => ({ start: segment.start, end: segment.end, text: segment.text.trim() }));
    return { text: result.text, segments };
  }
}
