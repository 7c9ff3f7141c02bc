import type OpenAI from 'openai';
import { type EndpointSettings, openAiClient } from './openai-client.js';
import type { EmbeddingProvider } from './types.js';

/** Inputs per request: servers cap batch sizes (OpenAI at 2048, most local servers far lower). */
const BATCH_SIZE = 64;

/** Any OpenAI-compatible `/v1/embeddings`; vectors are requested as floats, never base64. */
export class OpenAiCompatibleEmbeddings implements EmbeddingProvider {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly model: string;
  private knownDimensions = 0;

  constructor(
    endpoint: EndpointSettings & { model: string },
    private readonly batchSize = BATCH_SIZE,
  ) {
    this.id = `openai-compatible:${endpoint.model}`;
    this.model = endpoint.model;
    this.client = openAiClient(endpoint, { timeoutMs: 60_000, maxRetries: 2 });
  }

  /** Known once the endpoint has answered (the resolver asks it once at start). */
  get dimensions(): number {
    return this.knownDimensions;
  }

  async embedDocuments(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + this.batchSize), signal)));
    }
    return vectors;
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const [vector] = await this.embedBatch([text], signal);
    return vector!;
  }

  private async embedBatch(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (input.length === 0) return [];
    const response = await this.client.embeddings.create({ model: this.model, input, encoding_format: 'float' }, { signal });
    if (response.data.length !== input.length) {
      throw new Error(`the embedding endpoint returned ${response.data.length} vectors for ${input.length} inputs`);
    }
    const vectors = new Array<Float32Array>(input.length);
    for (const item of response.data) vectors[item.index] = Float32Array.from(item.embedding);
    this.knownDimensions = vectors[0]!.length;
    return vectors;
  }
}
