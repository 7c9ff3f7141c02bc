import { join } from 'node:path';
import type { Config } from '../config.js';
import type { PublishableKeyService } from '../auth/publishable-keys.js';
import type { Transaction } from '../db/database.js';
import type { UserService } from '../tenancy/users.js';

/** An end user as their identity provider described them (`principal.userId` of a member). */
export interface PlatformUser {
  id: string;
  email: string | null;
  name: string | null;
  role: string;
}

/** Where the deployment's models live (environment only; secrets stay server-side). */
export interface ModelSettings {
  /** `<OSV_DATA_DIR>/models`: where `osv models pull` puts models and names resolve. */
  readonly modelsDir: string;
  readonly qdrant?: { url: string; apiKey?: string };
  readonly chat?: { baseUrl: string; apiKey?: string; model?: string };
  /** A GGUF file for in-process answers. */
  readonly localChatModel?: string;
  readonly embeddings?: { baseUrl: string; apiKey?: string; model?: string };
  /** An ONNX sentence-embedding model folder for in-process embeddings. */
  readonly localEmbeddingModel?: string;
  readonly transcription?: { baseUrl: string; apiKey?: string; model?: string };
}

/** Where the payment and email providers' APIs are, when not their public hosts (STRIPE_API_BASE, SENDGRID_API_BASE). */
export interface ProviderEndpoints {
  /** An origin, e.g. `http://localhost:12111`. */
  readonly stripe?: string;
  readonly sendgrid?: string;
}

/** Read-only facts about the platform and a tenant that plugins need but do not own. */
export interface PlatformFacts {
  /** Where this osv is reachable (PUBLIC_URL). */
  readonly publicUrl: string;
  readonly models: ModelSettings;
  readonly providers: ProviderEndpoints;
  /** Origins the tenant's pages may live on: PUBLIC_URL's and its live publishable keys' allowed origins. */
  trustedOrigins(tenantId: string): Promise<string[]>;
  /** Inside a transaction, pass it. */
  user(tenantId: string, userId: string, transaction?: Transaction): Promise<PlatformUser | undefined>;
}

export function platformFacts(deps: {
  publicUrl: string;
  models: ModelSettings;
  providers?: ProviderEndpoints;
  publishableKeys: PublishableKeyService;
  users: UserService;
}): PlatformFacts {
  return {
    publicUrl: deps.publicUrl,
    models: deps.models,
    providers: deps.providers ?? {},
    async trustedOrigins(tenantId) {
      const keys = await deps.publishableKeys.list(tenantId);
      const origins = keys.filter((key) => key.revoked_at === null).flatMap((key) => key.allowed_origins);
      return [...new Set([new URL(deps.publicUrl).origin, ...origins])];
    },
    async user(tenantId, userId, transaction) {
      const user = await deps.users.get(tenantId, userId, transaction).catch(() => undefined);
      return user && { id: user.id, email: user.email, name: user.name, role: user.role };
    },
  };
}

function endpoint(baseUrl: string | undefined, apiKey: string | undefined, model: string | undefined) {
  return baseUrl ? { baseUrl, apiKey, model } : undefined;
}

export function providerEndpoints(config: Config): ProviderEndpoints {
  return { stripe: config.STRIPE_API_BASE, sendgrid: config.SENDGRID_API_BASE };
}

export function modelSettings(config: Config): ModelSettings {
  return {
    modelsDir: join(config.OSV_DATA_DIR, 'models'),
    qdrant: config.QDRANT_URL ? { url: config.QDRANT_URL, apiKey: config.QDRANT_API_KEY } : undefined,
    chat: endpoint(config.LLM_BASE_URL, config.LLM_API_KEY, config.LLM_MODEL),
    localChatModel: config.OSV_LLM_MODEL,
    embeddings: endpoint(config.EMBEDDING_BASE_URL, config.EMBEDDING_API_KEY, config.EMBEDDING_MODEL),
    localEmbeddingModel: config.OSV_EMBEDDING_MODEL,
    transcription: endpoint(config.TRANSCRIPTION_BASE_URL, config.TRANSCRIPTION_API_KEY, config.TRANSCRIPTION_MODEL),
  };
}
