import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { WIDGETS_DIR } from '../../core/http/widget-assets.js';
import { PROJECT_ROOT } from '../../core/version.js';

const sources = [path.join(PROJECT_ROOT, 'widgets', 'src'), path.join(PROJECT_ROOT, 'widgets', 'build')];
const manifest = path.join(WIDGETS_DIR, 'manifest.json');

function newestSource(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs;
    }),
  );
}

const fresh = () => existsSync(manifest) && statSync(manifest).mtimeMs >= Math.max(...sources.map(newestSource));

/**
 * Browser tests load the real bundle. `npm run build` makes it; this rebuilds it when a source is
 * newer, once for all test files running in parallel (a lock directory serialises them).
 */
export async function ensureWidgetBundle(): Promise<void> {
  if (fresh()) return;
  const lock = path.join(PROJECT_ROOT, 'widgets', 'dist', '.build-lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (!fresh()) {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'widgets', 'build', 'build-widgets.ts')], {
        cwd: PROJECT_ROOT,
        stdio: 'pipe',
      });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
