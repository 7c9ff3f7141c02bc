import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiCompatibleServer, startOpenAiCompatibleServer } from '../../../../test/support/openai-compatible-server.js';
import { OpenAiCompatibleTranscription } from '../openai-transcription.js';

let server: OpenAiCompatibleServer;

beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
});
afterAll(() => server.close());

const AUDIO = { bytes: new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3]), filename: 'lecture-1.mp3', mimeType: 'audio/mpeg' };

describe('OpenAI-compatible transcription', () => {
  it('uploads the file and returns the text with segment times', async () => {
    const transcription = new OpenAiCompatibleTranscription({ baseUrl: server.baseUrl, model: 'test-whisper' });
    const transcript = await transcription.transcribe(AUDIO);
    expect(transcript.text).toBe(server.transcription.text);
    expect(transcript.segments).toEqual(server.transcription.segments);
    expect(server.requestsTo('/v1/audio/transcriptions').at(-1)!.body).toMatchObject({
      model: 'test-whisper',
      response_format: 'verbose_json',
      file: { filename: 'lecture-1.mp3', type: 'audio/mpeg', size: AUDIO.bytes.length },
    });
  });

  it('uses whisper-1 when no model is named', async () => {
    await new OpenAiCompatibleTranscription({ baseUrl: server.baseUrl }).transcribe(AUDIO);
    expect(server.requestsTo('/v1/audio/transcriptions').at(-1)!.body.model).toBe('whisper-1');
  });

  it('rejects when the endpoint fails, so the material can say why', async () => {
    server.fail({ kind: 'status', status: 503 });
    try {
      await expect(new OpenAiCompatibleTranscription({ baseUrl: server.baseUrl }).transcribe(AUDIO)).rejects.toThrow(/503/);
    } finally {
      server.recover();
    }
  });
});
