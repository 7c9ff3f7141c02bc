import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AutoModel, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import type { EmbeddingProvider } from './types.js';

/** Texts per forward pass: bigger batches pad more, smaller ones pay more per-call overhead. */
const BATCH_SIZE = 16;

/** How a sentence-transformers model turns token vectors into one vector, and what it expects around texts. */
interface SentenceModelConfig {
  pooling: 'mean' | 'cls';
  maxTokens: number;
  queryPrefix: string;
  documentPrefix: string;
}

/**
 * A sentence-embedding model in ONNX format run in-process, from a folder laid out like a Hugging
 * Face repository (config.json, tokenizer.json, onnx/model*.onnx, and the sentence-transformers
 * files that say how to pool). Nothing is ever fetched from the network.
 */
export class LocalOnnxEmbeddings implements EmbeddingProvider {
  readonly id: string;

  private constructor(
    readonly dimensions: number,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly config: SentenceModelConfig,
    name: string,
  ) {
    this.id = `local:${name}`;
  }

  static async load(folder: string): Promise<LocalOnnxEmbeddings> {
    const weights = onnxWeights(folder);
    if (!weights) throw new Error(`${folder} holds no ONNX model (expected onnx/model.onnx or onnx/model_quantized.onnx)`);
    if (!existsSync(join(folder, 'tokenizer.json'))) throw new Error(`${folder} has no tokenizer.json`);
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = dirname(folder);
    const name = basename(folder);
    const tokenizer = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
    const model = await AutoModel.from_pretrained(name, { local_files_only: true, dtype: weights.dtype, subfolder: weights.subfolder, device: 'cpu' });
    const config = sentenceModelConfig(folder, tokenizer);
    const probe = new LocalOnnxEmbeddings(0, tokenizer, model, config, name);
    const [vector] = await probe.embed(['dimension probe'], '');
    return new LocalOnnxEmbeddings(vector!.length, tokenizer, model, config, name);
  }

  embedDocuments(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.embed(texts, this.config.documentPrefix, signal);
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const [vector] = await this.embed([text], this.config.queryPrefix, signal);
    return vector!;
  }

  async close(): Promise<void> {
    await this.model.dispose();
  }

  private async embed(texts: string[], prefix: string, signal?: AbortSignal): Promise<Float32Array[]> {
    // Texts of similar length share a batch, so little of each forward pass is padding.
    const order = texts.map((_, index) => index).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const vectors = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += BATCH_SIZE) {
      signal?.throwIfAborted();
      const batch = order.slice(start, start + BATCH_SIZE);
      const pooled = await this.embedBatch(batch.map((index) => prefix + texts[index]!));
      batch.forEach((index, position) => {
        vectors[index] = pooled[position]!;
      });
    }
    return vectors;
  }

  private async embedBatch(texts: string[]): Promise<Float32Array[]> {
    const inputs = this.tokenizer(texts, { padding: true, truncation: true, max_length: this.config.maxTokens });
    const output = (await this.model(inputs)) as { last_hidden_state: Tensor };
    const hidden = output.last_hidden_state;
    const [batch, tokens, width] = hidden.dims as [number, number, number];
    const states = hidden.data as Float32Array;
    const mask = (inputs.attention_mask as Tensor).data as BigInt64Array;
    const vectors: Float32Array[] = [];
    for (let row = 0; row < batch; row += 1) {
      const vector = new Float32Array(width);
      let counted = 0;
      const lastToken = this.config.pooling === 'cls' ? 1 : tokens;
      for (let token = 0; token < lastToken; token += 1) {
        if (mask[row * tokens + token] === 0n) continue;
        const offset = (row * tokens + token) * width;
        for (let i = 0; i < width; i += 1) vector[i]! += states[offset + i]!;
        counted += 1;
      }
      vectors.push(normalise(vector, counted));
    }
    return vectors;
  }
}

function normalise(sum: Float32Array, count: number): Float32Array {
  let norm = 0;
  for (const value of sum) norm += (value / count) ** 2;
  const scale = 1 / (count * (Math.sqrt(norm) || 1));
  return sum.map((value) => value * scale);
}

function onnxWeights(folder: string): { subfolder: string; dtype: 'fp32' | 'q8' } | undefined {
  for (const subfolder of ['onnx', '']) {
    if (existsSync(join(folder, subfolder, 'model.onnx'))) return { subfolder, dtype: 'fp32' };
    if (existsSync(join(folder, subfolder, 'model_quantized.onnx'))) return { subfolder, dtype: 'q8' };
  }
  return undefined;
}

function readJson(path: string): Record<string, unknown> | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : undefined;
}

/**
 * Reads the sentence-transformers files: pooling (1_Pooling/config.json), the sequence length the
 * model was trained with (sentence_bert_config.json) and the query/document prompts
 * (config_sentence_transformers.json). E5 models predate prompts there and want "query: "/"passage: ".
 */
function sentenceModelConfig(folder: string, tokenizer: PreTrainedTokenizer): SentenceModelConfig {
  const pooling = readJson(join(folder, '1_Pooling', 'config.json'));
  const sentenceBert = readJson(join(folder, 'sentence_bert_config.json'));
  const prompts = (readJson(join(folder, 'config_sentence_transformers.json'))?.prompts ?? {}) as Record<string, string>;
  const isE5 = /(^|[-_/])e5([-_]|$)/i.test(basename(folder));
  const tokenizerLimit = Number(tokenizer.model_max_length) || 512;
  return {
    pooling: pooling?.pooling_mode_cls_token === true ? 'cls' : 'mean',
    maxTokens: Math.min(Number(sentenceBert?.max_seq_length) || tokenizerLimit, tokenizerLimit, 512),
    queryPrefix: prompts.query ?? (isE5 ? 'query: ' : ''),
    documentPrefix: prompts.document ?? prompts.passage ?? (isE5 ? 'passage: ' : ''),
  };
}
