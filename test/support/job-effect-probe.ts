import { defineMigration, definePlugin } from '../../core/plugin-api.js';
import type { Kernel } from '../../core/kernel.js';
import { pluginTablePrefix } from '../../core/plugins/manifest.js';
import { countOf } from './jobs.js';

/**
 * A plugin whose `work` job writes one row per run into `<id>_effects` (kept only if the job's
 * transaction commits) and counts handler calls, including rolled-back ones. A job whose payload
 * says `failFirst` refuses its first attempt after writing.
 */
export function jobEffectProbe(id: string) {
  /** Handler calls per outbox id (ids restart in each test's fresh database). */
  const calls = new Map<string, number>();
  const table = `${pluginTablePrefix(id)}effects`;
  const plugin = definePlugin({
    manifest: { id, name: `Job effect probe ${id}`, version: '1.0.0', coreRange: '>=0.1.0 <1.0.0' },
    migrations: [
      defineMigration({
        name: '0001-effects',
        async up({ sql }) {
          await sql(`CREATE TABLE ${table} (
            id bigserial PRIMARY KEY,
            tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
            job_id bigint NOT NULL
          )`);
        },
      }),
    ],
    register(ctx) {
      ctx.jobs.define('work', async (job, tx) => {
        calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
        await ctx.db.forTenant(job.tenantId!).insert(ctx.db.table('effects'), { job_id: job.id }, tx);
        if ((job.payload as { failFirst?: boolean }).failFirst && job.attempt === 1) throw new Error('first attempt refused');
      });
    },
  });
  return {
    plugin,
    calls,
    jobName: `${id}:work`,
    /** Committed effects of each job, in the order of `ids`. */
    effectsPerJob: (kernel: Kernel, ids: string[]) =>
      Promise.all(ids.map((jobId) => countOf(kernel, `SELECT count(*) FROM ${table} WHERE job_id = $1`, [jobId]))),
  };
}
