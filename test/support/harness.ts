import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import supertest from 'supertest';
import { loadConfig } from '../../core/config.js';
import { createApp } from '../../core/http/app.js';
import { Kernel, type KernelOptions } from '../../core/kernel.js';
import { createLogger } from '../../core/logger.js';
import { type CompositionOptions, type Platform, startPlatform } from '../../server/platform.js';
import type { OsvPlugin } from '../../core/plugin-api.js';
import { firstPartyPlugins } from '../../plugins/index.js';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix } from './databases.js';

export interface TestPlatform {
  kernel: Kernel;
  app: Express;
  http: ReturnType<typeof supertest>;
  databaseUrl: string;
  env: Record<string, string>;
  /** Boots another kernel on the same database and queue prefix (a second process, a restart). */
  restart(options?: Partial<TestOptions>): Promise<Kernel>;
  close(): Promise<void>;
  /** The composition root's platform (LTI module included), when started with `composed`. */
  composition?: Platform;
}

export interface TestOptions {
  redis: boolean;
  plugins: OsvPlugin[];
  env: Record<string, string>;
  kernel: Partial<Omit<KernelOptions, 'config' | 'plugins'>>;
  /** Wire kernel and app exactly as production does (server/platform.ts: the LTI module included). */
  composed: boolean | CompositionOptions;
}

/** A real kernel on its own PostgreSQL database (and its own Redis key prefix when redis is on). */
export async function startTestPlatform(options: Partial<TestOptions> = {}): Promise<TestPlatform> {
  const database = await createTestDatabase();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database.url,
    OSV_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'osv-test-')),
    OSV_QUEUE_PREFIX: uniquePrefix('q'),
    DATABASE_POOL_MAX: '5',
    ...(options.redis ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...options.env,
  };
  const kernels: Kernel[] = [];
  const platforms = new Map<Kernel, Platform>();
  const boot = async (overrides: Partial<TestOptions> = {}) => {
    const config = loadConfig({ ...env, ...overrides.env });
    const kernelOptions: KernelOptions = {
      config,
      plugins: overrides.plugins ?? options.plugins ?? firstPartyPlugins,
      log: createLogger(config.LOG_LEVEL),
      pollIntervalMs: 100,
      ...options.kernel,
      ...overrides.kernel,
    };
    const composed = overrides.composed ?? options.composed;
    let kernel: Kernel;
    if (composed) {
      const platform = await startPlatform(kernelOptions, composed === true ? {} : composed);
      kernel = platform.kernel;
      platforms.set(kernel, platform);
    } else {
      kernel = await Kernel.start(kernelOptions);
    }
    kernels.push(kernel);
    return kernel;
  };
  const kernel = await boot();
  const composition = platforms.get(kernel);
  const app = composition ? composition.createApp() : createApp(kernel);
  return {
    kernel,
    composition,
    app,
    http: supertest(app),
    databaseUrl: database.url,
    env,
    restart: boot,
    async close() {
      await Promise.all(kernels.map((k) => k.shutdown()));
      await database.drop();
    },
  };
}

export interface Tenancy {
  tenantId: string;
  slug: string;
  /** `Authorization` header values. */
  admin: string;
  learner: string;
  instructor: string;
}

/** A tenant with an admin session and learner/instructor API keys. */
export async function createTenant(kernel: Kernel, slug: string, options: { owner?: boolean } = {}): Promise<Tenancy> {
  const tenant = await kernel.tenants.create({ slug, name: slug });
  const email = `admin@${slug}.test`;
  const { password } = await kernel.tenants.createUser(tenant.id, { email, role: options.owner ? 'owner' : 'admin' });
  const session = await kernel.credentials.login(tenant.id, email, password);
  const learner = await kernel.credentials.createApiKey(tenant.id, { name: 'learner', role: 'learner' });
  const instructor = await kernel.credentials.createApiKey(tenant.id, { name: 'instructor', role: 'instructor' });
  return {
    tenantId: tenant.id,
    slug,
    admin: `Bearer ${session.token}`,
    learner: `Bearer ${learner.secret}`,
    instructor: `Bearer ${instructor.secret}`,
  };
}

/** Polls until the check passes or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
