import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../core/version.js';
import { PostgresVectorStore } from '../plugins/ai-tutor/providers/postgres-vector-store.js';
import { MODEL_CACHE } from '../test/support/test-models.js';
import { Cleanup } from './support/cleanup.js';
import { createBenchDatabase } from './support/database.js';
import { percentile } from './support/percentile.js';
import { progress } from './support/progress.js';
import { deleteRedisKeys, REDIS_URL } from './support/redis-keys.js';
import { handleShutdownSignals } from './support/signals.js';
import { baselineResults } from './tutor/baseline-bm25.js';
import { loadQaSet, type Scores, score } from './tutor/qa-set.js';
import { lexicalP95, vectorP95 } from './tutor/synthetic-scale.js';
import { runTutor, type TutorRun } from './tutor/tutor-run.js';
import { startTutorServer } from './tutor/tutor-server.js';

/**
 * `npm run bench:tutor -- [SET_DIR]`: retrieval quality of the tutor on a question set (a plain
 * BM25 baseline, osv lexical-only, osv with the local embedding model), each through the real
 * upload, jobs and ask routes; retrieval p95 on a synthetic 100k-chunk course; ingestion and
 * embedding throughput; time to first token of extractive answers. Progress on stderr; the last
 * stdout line is the scorer's JSON for osv's best configuration.
 */
const SET_DIR = resolve(process.argv[2] ?? join(PROJECT_ROOT, '..', 'shared', 'bench', 'tutor-qa', 'perlfaq'));
const SCORER = join(SET_DIR, '..', 'score.mjs');
const EMBEDDING_MODEL = process.env.BENCH_EMBEDDING_MODEL ?? join(MODEL_CACHE, 'all-MiniLM-L6-v2-int8');
/** BENCH_ONLY=quality,lexical-scale,vector-scale runs just those groups. */
const ONLY = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const selected = (group: string) => !ONLY || ONLY.includes(group);

function summary(label: string, scores: Scores): string {
  return `${label.padEnd(34)} R@1 ${scores.recall_at_1.toFixed(3)}  R@5 ${scores.recall_at_5.toFixed(3)}  MRR@10 ${scores.mrr_at_10.toFixed(3)}`;
}

async function main(cleanup: Cleanup): Promise<void> {
  if (!existsSync(SCORER)) throw new Error(`no scorer at ${SCORER}; pass a set folder that sits beside score.mjs`);
  const set = loadQaSet(SET_DIR);
  const work = mkdtempSync(join(tmpdir(), 'osv-bench-tutor-'));
  progress(`set ${SET_DIR}: ${set.materials.length} materials, ${set.questions.length} questions`);
  const lines: string[] = [];
  let best: { label: string; line: string; scores: Scores } | undefined;

  const environment = async (label: string, extra: Record<string, string>) => {
    const database = await createBenchDatabase();
    cleanup.add(`drop the ${label} database`, database.drop);
    const prefix = `osvb-tutor-${randomBytes(4).toString('hex')}`;
    cleanup.add(`delete Redis keys ${prefix}*`, () => deleteRedisKeys(prefix));
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      REDIS_URL,
      OSV_QUEUE_PREFIX: prefix,
      OSV_DATA_DIR: mkdtempSync(join(tmpdir(), 'osv-bench-data-')),
      OSV_RATE_LIMIT_PER_MINUTE: String(1_000_000_000),
      // Ingestion jobs hold a connection while embedding and the vector store takes another.
      DATABASE_POOL_MAX: '30',
      OSV_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      OSV_SIGNING_KEY: randomBytes(32).toString('base64'),
      ...extra,
    };
    return { env, databaseUrl: database.url };
  };

  if (selected('quality')) {
    const baseline = score(set, SCORER, join(work, 'baseline.jsonl'), baselineResults(set));
    lines.push(summary('BM25 library, naive 200-word chunks', baseline.scores));
    progress(lines.at(-1)!);

    const runs: Array<{ label: string; extra: Record<string, string> }> = [{ label: 'osv lexical-only', extra: {} }];
    if (existsSync(EMBEDDING_MODEL)) runs.push({ label: 'osv + local embeddings', extra: { OSV_EMBEDDING_MODEL: EMBEDDING_MODEL } });
    else progress(`no local embedding model at ${EMBEDDING_MODEL} (run scripts/fetch-models.sh); skipping that configuration`);
    for (const { label, extra } of runs) {
      const { env, databaseUrl } = await environment(label, extra);
      const run: TutorRun = await runTutor(set, env, databaseUrl);
      const scored = score(set, SCORER, join(work, `${label.replace(/\W+/g, '-')}.jsonl`), run.results);
      lines.push(summary(label, scored.scores));
      lines.push(`  ingestion ${run.ingestSeconds.toFixed(1)} s for ${run.chunks} chunks (${(run.chunks / run.ingestSeconds).toFixed(1)} chunks/s${extra.OSV_EMBEDDING_MODEL ? ', embedding included' : ''})`);
      if (run.firstTokenMs.length > 0) lines.push(`  time to first token p50 ${percentile(run.firstTokenMs, 0.5).toFixed(0)} ms, p95 ${percentile(run.firstTokenMs, 0.95).toFixed(0)} ms (answerers: ${JSON.stringify(run.answerers)})`);
      progress(lines.slice(-3).join('\n'));
      if (!best || scored.scores.recall_at_5 > best.scores.recall_at_5) best = { label, ...scored };
    }
  }

  if (selected('lexical-scale')) {
    const lexical = lexicalP95();
    lines.push(`100k-chunk course: lexical retrieval p95 ${lexical.p95Ms.toFixed(1)} ms (index built in ${lexical.buildSeconds.toFixed(1)} s)`);
    progress(lines.at(-1)!);
  }

  if (selected('vector-scale')) {
    const { env } = await environment('scale', {});
    const server = await startTutorServer(env);
    try {
      const tenant = await server.kernel.tenants.create({ slug: 'scale', name: 'Scale' });
      const db = server.db();
      const vector = await vectorP95(new PostgresVectorStore(db), tenant.id);
      lines.push(`100k-chunk course: vector search p95 ${vector.p95Ms.toFixed(1)} ms (PostgreSQL store, 384 dimensions; first load ${vector.loadSeconds.toFixed(1)} s)`);
      progress(lines.at(-1)!);
    } finally {
      await server.close();
    }
  }

  for (const line of lines) console.log(line);
  if (best) {
    console.log(`best: ${best.label}`);
    console.log(best.line);
  }
}

const cleanup = new Cleanup();
handleShutdownSignals(() => void cleanup.run().then(() => process.exit(130)));
try {
  await main(cleanup);
} finally {
  await cleanup.run();
}
