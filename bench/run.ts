import { randomBytes } from 'node:crypto';
import { measureCatalogSearch } from './catalog-search.js';
import { measureEnrollmentContention } from './enrollment-contention.js';
import { measureHttpTenantRead } from './http-read.js';
import { measureLtiLaunch } from './lti-launch.js';
import { measureQueueThroughput } from './queue-throughput.js';
import { Cleanup } from './support/cleanup.js';
import { createBenchDatabase } from './support/database.js';
import { progress } from './support/progress.js';
import { deleteRedisKeys, REDIS_URL } from './support/redis-keys.js';
import { handleShutdownSignals } from './support/signals.js';

const LOAD = { connections: 50, warmupSeconds: 2, durationSeconds: 5 };
const CONTENTION = { attempts: 500, seats: 20, rounds: 5, poolMax: 10 };
const CATALOG = { courses: 10_000, samples: 300 };
const LTI = { concurrent: { concurrency: 10, warmupSeconds: 2, durationSeconds: 8 }, sequential: { concurrency: 1, warmupSeconds: 1, durationSeconds: 6 } };
const QUEUE = { jobs: positiveInteger(process.env.BENCH_JOBS ?? '20000', 'BENCH_JOBS'), batchSize: 500, timeoutMs: 45_000, rounds: 3 };

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
}

/** BENCH_ONLY=http,queue runs just those groups; unset runs them all. */
const ONLY = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());

function selected(group: string): boolean {
  return !ONLY || ONLY.includes(group);
}

async function main(cleanup: Cleanup): Promise<string> {
  const prefix = `osvb-${randomBytes(4).toString('hex')}`;
  const database = await createBenchDatabase();
  cleanup.add(`drop database ${new URL(database.url).pathname.slice(1)}`, database.drop);
  cleanup.add(`delete Redis keys ${prefix}*`, async () => progress(`removed ${await deleteRedisKeys(prefix)} Redis keys`));

  const connection = { databaseUrl: database.url, redisUrl: REDIS_URL };
  const measures: Record<string, unknown> = {};
  if (selected('http')) {
    measures.http_tenant_read = await measureHttpTenantRead({ ...connection, queuePrefix: `${prefix}-http`, load: LOAD, rounds: 5 }, cleanup);
  }
  if (selected('queue')) {
    const queue = await measureQueueThroughput({ ...connection, prefix, ...QUEUE }, cleanup);
    measures.queue_throughput = queue.batched;
    measures.queue_throughput_isolated = queue.isolated;
  }
  if (selected('enrollment')) {
    const enrollment = await measureEnrollmentContention({ ...connection, queuePrefix: `${prefix}-enroll`, ...CONTENTION }, cleanup);
    measures.enrollment_contention = enrollment.throughput;
    measures.enrollment_oversell = enrollment.oversell;
  }
  if (selected('catalog')) {
    const catalog = await measureCatalogSearch({ ...connection, queuePrefix: `${prefix}-catalog`, ...CATALOG }, cleanup);
    measures.catalog_search_p95_cached = catalog.cached;
    measures.catalog_search_p95_uncached = catalog.uncached;
  }
  if (selected('lti')) {
    const lti = await measureLtiLaunch({ ...connection, queuePrefix: `${prefix}-lti`, ...LTI }, cleanup);
    measures.lti_launch_rate_c10 = lti.concurrent;
    measures.lti_launch_rate_c1 = lti.sequential;
    measures.lti_launch_p99_c1 = lti.sequentialP99;
  }
  return JSON.stringify(measures);
}

const cleanup = new Cleanup();
handleShutdownSignals((signal) => {
  progress(`${signal}: cleaning up`);
  void cleanup.run().finally(() => process.exit(130));
});

let summary: string | undefined;
try {
  summary = await main(cleanup);
} catch (error) {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
const clean = await cleanup.run();
const exitCode = summary && clean ? 0 : 1;
process.stdout.write(summary ? `${summary}\n` : '', () => process.exit(exitCode));
