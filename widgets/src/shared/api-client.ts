import type { ApiError } from '../api-types.js';
import { updateRuntime } from '../runtime/runtime.js';
import { type SseMessage, SseParser } from './sse.js';

export interface Credentials {
  apiBase: string;
  key?: string;
  token?: string;
  refreshToken?: () => Promise<string | undefined>;
}

/** An API refusal (`code` from the error catalogue), or `OSV_ERR_NETWORK` when no answer could be read. */
export class OsvApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

interface SendOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function errorOf(response: Response): Promise<OsvApiError> {
  const body = (await response.json().catch(() => undefined)) as ApiError | undefined;
  return new OsvApiError(body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? response.statusText, response.status);
}

/**
 * Calls `/api/v1/…` of the osv server with the publishable key (as `?key=`, so CORS preflights can
 * be checked against it) and the member's token, never with cookies.
 */
export class OsvApi {
  constructor(private readonly credentials: () => Credentials) {}

  async get<T>(path: string, options: SendOptions = {}): Promise<T> {
    return (await this.send('GET', path, options)).json() as Promise<T>;
  }

  async post<T>(path: string, options: SendOptions = {}): Promise<T> {
    return (await this.send('POST', path, options)).json() as Promise<T>;
  }

  /** POSTs and hands each server-sent event to `onMessage` as it arrives. */
  async stream(path: string, options: SendOptions, onMessage: (message: SseMessage) => void): Promise<void> {
    const response = await this.send('POST', path, { ...options, headers: { ...options.headers, accept: 'text/event-stream' } });
    const parser = new SseParser(onMessage);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.push(value);
    }
  }

  private async send(method: string, path: string, options: SendOptions): Promise<Response> {
    const credentials = this.credentials();
    const url = new URL(`/api/v1${path}`, credentials.apiBase);
    for (const [name, value] of Object.entries({ ...options.query, key: credentials.key })) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const attempt = (token: string | undefined) =>
      fetch(url, {
        method,
        mode: 'cors',
        credentials: 'omit',
        signal: options.signal,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      }).catch((error: unknown) => {
        if (options.signal?.aborted) throw error;
        // Browsers hide why a request failed; a CORS refusal (unlisted site) looks the same.
        throw new OsvApiError('OSV_ERR_NETWORK', String(error), 0);
      });
    let response = await attempt(credentials.token);
    if (response.status === 401 && credentials.token && credentials.refreshToken) {
      const fresh = await credentials.refreshToken();
      if (fresh) {
        updateRuntime({ token: fresh });
        response = await attempt(fresh);
      }
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }
}
