import type { TutorProviders } from './providers/index.js';

/** What the plugin holds between start and stop: the providers resolved from the deployment's settings. */
export class TutorRuntime {
  providers: TutorProviders | null = null;

  get embedding() {
    return this.providers?.embedding ?? null;
  }
  get vectorStore() {
    return this.providers?.vectorStore ?? null;
  }
  get chat() {
    return this.providers?.chat ?? null;
  }
  get transcription() {
    return this.providers?.transcription ?? null;
  }

  async close(): Promise<void> {
    const providers = this.providers;
    this.providers = null;
    await providers?.close();
  }
}
