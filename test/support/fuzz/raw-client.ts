import { Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as is: percent-encoding (valid or not) included. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface RetriableError extends Error {
  reusedSocket?: boolean;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Sends requests exactly as built (any bytes, any Content-Encoding), which HTTP client libraries
 * would correct or refuse; keeps connections alive so thousands of cases stay quick.
 */
export class RawClient {
  private readonly agent: Agent;

  constructor(
    private readonly origin: string,
    concurrency: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  }

  async send(raw: RawRequest): Promise<RawResponse> {
    try {
      return await this.sendOnce(raw);
    } catch (error) {
      // A kept-alive connection the server closed as it was being reused: the request never
      // reached the app, so it is sent again (as Node's documentation advises).
      if ((error as RetriableError).reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return this.sendOnce(raw);
      throw error;
    }
  }

  private sendOnce(raw: RawRequest): Promise<RawResponse> {
    const url = new URL(this.origin);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent: this.agent,
          host: url.hostname,
          port: url.port,
          method: raw.method,
          path: raw.path,
          headers: { ...raw.headers, ...(raw.body ? { 'content-length': String(raw.body.length) } : {}) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: String(response.headers['content-type'] ?? ''),
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', (error: RetriableError) => {
        error.reusedSocket = outgoing.reusedSocket;
        reject(error);
      });
      outgoing.end(raw.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
