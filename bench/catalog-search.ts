import type pg from 'pg';
import type { Cleanup } from './support/cleanup.js';
import { startCommerceServer } from './support/commerce.js';
import { percentile } from './support/percentile.js';
import type { Comparison } from './support/comparison.js';
import { progress } from './support/progress.js';

export interface CatalogSearchSettings {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  courses: number;
  /** Requests per phase, one at a time (latency, not throughput). */
  samples: number;
}

export interface CatalogSearchResult {
  cached: Comparison;
  uncached: Comparison;
}

/** The targets: the p95 must stay under them. */
const TARGET_MS = { cached: 20, uncached: 60 };

const WORDS = [
  'statistics', 'algebra', 'calculus', 'biology', 'chemistry', 'physics', 'history', 'philosophy', 'economics', 'marketing',
  'programming', 'python', 'javascript', 'databases', 'networks', 'security', 'design', 'drawing', 'painting', 'music',
  'spanish', 'french', 'german', 'writing', 'literature', 'poetry', 'psychology', 'sociology', 'anthropology', 'geography',
  'astronomy', 'geology', 'ecology', 'nutrition', 'medicine', 'nursing', 'accounting', 'finance', 'management', 'leadership',
  'introduction', 'advanced', 'applied', 'foundations', 'practical', 'modern', 'classical', 'digital', 'global', 'creative',
];

/** `courses` published courses of three to four words, with summaries and descriptions, in one statement. */
async function seedCourses(pool: pg.Pool, tenantId: string, courses: number): Promise<void> {
  await pool.query('SELECT setseed(0.42)');
  await pool.query(
    `WITH words AS (SELECT $3::text[] AS list)
     INSERT INTO enrollment_courses (tenant_id, slug, title, summary, description, status, price_cents, seat_limit)
     SELECT $1, 'course-' || n,
       initcap(list[1 + floor(random() * 50)::int] || ' ' || list[1 + floor(random() * 50)::int] || ' ' || list[1 + floor(random() * 50)::int]),
       'Learn ' || list[1 + floor(random() * 50)::int] || ' and ' || list[1 + floor(random() * 50)::int] || ' with weekly practice.',
       -- Descriptions draw on a wider vocabulary (subject words among 450 others), as real ones do.
       array_to_string(ARRAY(SELECT CASE WHEN random() < 0.1 THEN list[1 + floor(random() * 50)::int] ELSE 'w' || floor(random() * 450)::int END
                             FROM generate_series(1, 30 + (n % 2))), ' '),
       'published', CASE WHEN n % 3 = 0 THEN 4900 ELSE 0 END, CASE WHEN n % 4 = 0 THEN 30 END
     FROM words, generate_series(1, $2) AS n`,
    [tenantId, courses, WORDS],
  );
  await pool.query('ANALYZE enrollment_courses');
}

/** Type-ahead as people type it: prefixes of one word, or a word and the start of another. */
function queries(count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + offset;
    const first = WORDS[n % WORDS.length]!;
    const second = WORDS[(n * 7 + 3) % WORDS.length]!;
    const prefix = first.slice(0, 3 + (n % 5));
    return n % 3 === 0 ? `${first} ${second.slice(0, 2 + (n % 4))}` : prefix;
  });
}

async function timeRequests(url: string, headers: Record<string, string>, list: string[]): Promise<number[]> {
  const samples: number[] = [];
  for (const q of list) {
    const started = performance.now();
    const response = await fetch(`${url}/api/v1/plugins/enrollment/courses?limit=20&q=${encodeURIComponent(q)}`, { headers });
    await response.arrayBuffer();
    samples.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`catalog search answered ${response.status}`);
  }
  return samples;
}

const milliseconds = (value: number, target: number): Comparison => ({
  value: Math.round(value * 10) / 10,
  unit: 'ms p95 (baseline: target)',
  baseline: target,
  ratio: Math.round((value / target) * 1000) / 1000,
});

/**
 * GET /api/v1/plugins/enrollment/courses?q= over `courses` courses: p95 of searches never asked
 * before (full-text query in PostgreSQL, then cached) and of repeated ones (served from Redis, seat
 * counts still read live), each against its target.
 */
export async function measureCatalogSearch(settings: CatalogSearchSettings, cleanup: Cleanup): Promise<CatalogSearchResult> {
  const commerce = await startCommerceServer({ ...settings, tenant: 'bench-catalog', poolMax: 10 }, cleanup);
  try {
    progress(`catalog: seeding ${settings.courses} courses`);
    await seedCourses(commerce.pool, commerce.tenantId, settings.courses);
    const { url, headers } = commerce.server;
    // Warm-up on searches that match nothing, so the measured ones are still unasked.
    await timeRequests(url, headers, Array.from({ length: 50 }, (_, i) => `warmup${i}`));

    const distinct = [...new Set(queries(settings.samples * 3, 0))].slice(0, settings.samples);
    progress(`catalog: ${distinct.length} searches never asked before`);
    const uncached = percentile(await timeRequests(url, headers, distinct), 0.95);

    const repeated = distinct.slice(0, 50);
    const cachedSamples = await timeRequests(url, headers, Array.from({ length: settings.samples }, (_, i) => repeated[i % repeated.length]!));
    const cached = percentile(cachedSamples, 0.95);
    progress(`catalog: p95 uncached ${uncached.toFixed(1)} ms, cached ${cached.toFixed(1)} ms`);
    return { cached: milliseconds(cached, TARGET_MS.cached), uncached: milliseconds(uncached, TARGET_MS.uncached) };
  } finally {
    await commerce.stop();
  }
}
