import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `scripts/fetch-models.sh` puts the small real models the tests run (outside the repository). */
export const MODEL_CACHE = process.env.OSV_MODEL_CACHE ?? join(homedir(), '.cache', 'osv-models');

export type TestModelName = 'all-MiniLM-L6-v2-int8' | 'gemma-3-270m-q4_k_m.gguf';

export interface TestModel {
  name: TestModelName;
  path: string;
  present: boolean;
  /** A suite title that says plainly why it did not run, or the plain title when it does. */
  title(suite: string): string;
}

/** A fetched test model; `present` is false only when the cache was never filled on this machine. */
export function testModel(name: TestModelName): TestModel {
  const path = join(MODEL_CACHE, name);
  const present = existsSync(name.endsWith('.gguf') ? `${path}.complete` : join(path, '.complete'));
  return {
    name,
    path,
    present,
    title: (suite) => (present ? suite : `${suite} (skipped: ${name} is not in ${MODEL_CACHE}; run scripts/fetch-models.sh)`),
  };
}
