#!/usr/bin/env node
// `npm start` builds only when the build is missing or older than the sources.
//   node scripts/fresh-build.mjs          builds (npm run build) if needed
//   node scripts/fresh-build.mjs --mark   records a successful build (the end of `npm run build`)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const sources = ['core', 'server', 'lti', 'plugins', 'migrations', 'bench', 'widgets/src', 'widgets/build'];
const configs = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'widgets/tsconfig.json'];
const outputs = ['dist/server/cli/main.js', 'widgets/dist'];

function newestChange(entry) {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of readdirSync(entry)) {
    if (child === 'node_modules' || child === 'dist') continue;
    newest = Math.max(newest, newestChange(path.join(entry, child)));
  }
  return newest;
}

if (process.argv.includes('--mark')) {
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
} else {
  const built = existsSync(stamp) && outputs.every((output) => existsSync(path.join(root, output))) ? statSync(stamp).mtimeMs : 0;
  const changed = Math.max(...[...sources, ...configs].map((entry) => newestChange(path.join(root, entry))));
  if (changed > built) {
    console.error(built ? 'Sources changed since the last build: building.' : 'No build yet: building.');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { status } = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    process.exit(status ?? 1);
  }
}
