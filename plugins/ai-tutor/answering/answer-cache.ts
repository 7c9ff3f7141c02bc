import { createHash } from 'node:crypto';
import type { PluginCache } from '../../../core/plugin-api.js';
import type { TutorCitationEvent } from '../../../widgets/src/api-types.js';

export interface CachedAnswer {
  text: string;
  citations: TutorCitationEvent[];
  answered: boolean;
  answerer: 'model' | 'extractive' | 'none';
}

const LOCAL_MAX = 1000;

/** Questions compare equal when they differ only in case, spacing and punctuation. */
export function normaliseQuestion(question: string): string {
  return question.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Answers keyed by the course's content version and the normalised question, so a change of the
 * materials retires them. The shared cache (Redis) is preferred; when it fails, this process keeps
 * answers itself and says so (`degraded`).
 */
export class AnswerCache {
  private readonly local = new Map<string, { expiresAt: number; value: CachedAnswer }>();

  constructor(private readonly shared: PluginCache) {}

  key(tenantId: string, courseId: string, contentVersion: number, locale: string, question: string): string {
    const digest = createHash('sha256').update(normaliseQuestion(question)).digest('base64url');
    return `answer:${tenantId}:${createHash('sha256').update(courseId).digest('base64url').slice(0, 16)}:${contentVersion}:${locale}:${digest}`;
  }

  async get(key: string): Promise<{ value?: CachedAnswer; degraded: boolean }> {
    try {
      return { value: await this.shared.get<CachedAnswer>(key), degraded: false };
    } catch {
      const entry = this.local.get(key);
      return { value: entry && entry.expiresAt > Date.now() ? entry.value : undefined, degraded: true };
    }
  }

  async set(key: string, value: CachedAnswer, ttlSeconds: number): Promise<{ degraded: boolean }> {
    if (ttlSeconds <= 0) return { degraded: false };
    try {
      await this.shared.set(key, value, ttlSeconds);
      return { degraded: false };
    } catch {
      if (this.local.size >= LOCAL_MAX) this.local.delete(this.local.keys().next().value!);
      this.local.set(key, { expiresAt: Date.now() + ttlSeconds * 1000, value });
      return { degraded: true };
    }
  }
}
