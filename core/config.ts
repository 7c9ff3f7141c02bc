import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** An http(s) address with nothing after the host and port: where a provider's API is served. */
const apiOrigin = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine((value) => {
    const url = parseUrl(value);
    return !url || (url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password);
  }, 'must be a scheme, host and optional port only, e.g. http://localhost:12111')
  .transform((value) => parseUrl(value)?.origin ?? value);

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded');

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && value.startsWith(`${url.protocol}//`);
  } catch {
    return false;
  }
}, 'must be an absolute http:// or https:// URL, such as https://osv.example.edu');

/** Every setting osv reads. Environment only; documented in .env.example. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Where browsers and LMSs reach osv; LTI and widget URLs are built from it. */
  PUBLIC_URL: httpUrl.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** How long a query waits for a free pool connection before its request fails. */
  DATABASE_POOL_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  REDIS_URL: z.url().optional(),
  /** Vector store for the AI tutor; unset means vectors live in PostgreSQL. */
  QDRANT_URL: z.url().optional(),
  QDRANT_API_KEY: z.string().min(1).optional(),
  /** Any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp server). */
  LLM_BASE_URL: z.url().optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).optional(),
  /** A local GGUF chat model run in-process: a path, or a name under `<OSV_DATA_DIR>/models`. */
  OSV_LLM_MODEL: z.string().min(1).optional(),
  /** Any OpenAI-compatible `/v1/embeddings` endpoint. */
  EMBEDDING_BASE_URL: z.url().optional(),
  EMBEDDING_API_KEY: z.string().min(1).optional(),
  EMBEDDING_MODEL: z.string().min(1).optional(),
  /** A local ONNX sentence-embedding model run in-process: a folder, or a name under `<OSV_DATA_DIR>/models`. */
  OSV_EMBEDDING_MODEL: z.string().min(1).optional(),
  /** Any OpenAI-compatible `/v1/audio/transcriptions` endpoint. */
  TRANSCRIPTION_BASE_URL: z.url().optional(),
  TRANSCRIPTION_API_KEY: z.string().min(1).optional(),
  TRANSCRIPTION_MODEL: z.string().min(1).optional(),
  /** Stripe's API (default https://api.stripe.com): e.g. stripe-mock for a test deployment. */
  STRIPE_API_BASE: apiOrigin.optional(),
  /** SendGrid's API (default https://api.sendgrid.com): e.g. a mail sink that speaks /v3/mail/send. */
  SENDGRID_API_BASE: apiOrigin.optional(),
  /** Where `osv models pull` downloads from: the Hugging Face Hub or a mirror of it (like HF_ENDPOINT). */
  OSV_HF_ENDPOINT: z.url().default('https://huggingface.co'),
  /** A Hugging Face access token, for gated or private model repositories. */
  HF_TOKEN: z.string().min(1).optional(),
  OSV_DATA_DIR: z.string().min(1).default('.osv'),
  OSV_EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  OSV_ENCRYPTION_KEY: base64Key.optional(),
  OSV_SIGNING_KEY: base64Key.optional(),
  OSV_PLUGINS: commaList.default([]),
  OSV_RUN_WORKERS: booleanFlag.default(true),
  OSV_QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('osv'),
  OSV_TRUST_PROXY: booleanFlag.default(false),
  OSV_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  OSV_CORS_ORIGINS: commaList.default([]),
  /** Bearer token for `/metrics`; without it, metrics are served only on loopback outside production. */
  OSV_METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  OSV_ADMIN_EMAIL: z.email().default('owner@osv.local'),
  OSV_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Lets LTI reach LMSs on this machine (loopback, plain http): development and tests only. */
  OSV_LTI_ALLOW_LOOPBACK_HTTP: booleanFlag.default(false),
  OSV_OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(1).default(168),
});

export type Config = z.infer<typeof configSchema> & { PUBLIC_URL: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = parsed.data;
  return { ...config, PUBLIC_URL: config.PUBLIC_URL ?? `http://localhost:${config.PORT}` };
}
