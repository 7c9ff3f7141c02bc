import OpenAI from 'openai';

/** One OpenAI-compatible endpoint as the settings name it (`LLM_*`, `EMBEDDING_*`, `TRANSCRIPTION_*`). */
export interface EndpointSettings {
  baseUrl: string;
  apiKey?: string;
  model?: string;
}

/**
 * A client for any OpenAI-compatible server (OpenAI, Ollama, vLLM, a llama.cpp server). Local
 * servers take no key, but the client insists on one, so a placeholder stands in.
 */
export function openAiClient(endpoint: EndpointSettings, options: { timeoutMs: number; maxRetries: number }): OpenAI {
  return new OpenAI({
    baseURL: endpoint.baseUrl,
    apiKey: endpoint.apiKey ?? 'not-needed',
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
}

/** The host an endpoint lives on, for descriptions: never the key, never a path with secrets. */
export function endpointHost(endpoint: EndpointSettings): string {
  try {
    return new URL(endpoint.baseUrl).host;
  } catch {
    return 'configured endpoint';
  }
}
