import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { widgetEntries } from '../src/widget-tags.js';
import { budgets } from './budgets.js';
import { builtFiles, loadOrder } from './chunk-graph.js';
import { gzipBytes, sri } from './integrity.js';
import { type ChunkMap, buildLoader } from './loader-build.js';
import { outputDir, widgetsRoot } from './paths.js';
import { precompress } from './precompress.js';
import { buildWidgetChunks } from './widget-chunks.js';

/**
 * `npm run build:widgets`: widget chunks, then the loader that knows them, then the pinned loader
 * copy and `manifest.json` (SRI hashes, over the uncompressed bytes that browsers check), then
 * brotli and gzip copies of each, then the size report. Fails when a budget is exceeded.
 */
async function main(): Promise<void> {
  rmSync(outputDir, { recursive: true, force: true });
  const files = builtFiles(await buildWidgetChunks());

  const chunkMap: ChunkMap = { files: [], tags: {} };
  const indexOf = new Map<string, number>();
  const entryFile = (entry: string) => [...files.keys()].find((name) => name.startsWith(`chunks/${entry}-`))!;
  for (const [tag, entry] of Object.entries(widgetEntries)) {
    chunkMap.tags[tag] = loadOrder(files, entryFile(entry)).map((fileName) => {
      if (!indexOf.has(fileName)) {
        indexOf.set(fileName, chunkMap.files.length);
        chunkMap.files.push([`./${fileName}`, sri(files.get(fileName)!.code)]);
      }
      return indexOf.get(fileName)!;
    });
  }

  const loader = await buildLoader(chunkMap);
  const pinned = `loader-${sri(loader).slice(7, 19).replace(/[+/]/g, '_')}.js`;
  writeFileSync(path.join(outputDir, pinned), loader);

  const version = (JSON.parse(readFileSync(path.join(widgetsRoot, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const sizes = new Map<string, number>([['loader.js', gzipBytes(loader)], ...[...files.values()].map((file) => [file.fileName, gzipBytes(file.code)] as const)]);
  const manifest = {
    version,
    loader: { latest: 'loader.js', pinned, integrity: sri(loader) },
    files: Object.fromEntries([[pinned, { integrity: sri(loader), gzipBytes: sizes.get('loader.js') }], ...[...files.values()].map((file) => [file.fileName, { integrity: sri(file.code), gzipBytes: sizes.get(file.fileName) }])]),
    widgets: Object.fromEntries(Object.entries(chunkMap.tags).map(([tag, indexes]) => [tag, indexes.map((index) => chunkMap.files[index]![0].slice(2))])),
  };
  writeFileSync(path.join(outputDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const written = precompress(outputDir);

  const lines = ['widgets/dist/v1 (gzip -9):'];
  for (const [fileName, bytes] of sizes) lines.push(`  ${fileName.padEnd(34)} ${String(bytes).padStart(6)} B`);
  let failed = false;
  for (const budget of budgets) {
    const needed = new Set(['loader.js', ...budget.tags.flatMap((tag) => manifest.widgets[tag]!)]);
    const total = [...needed].reduce((sum, fileName) => sum + sizes.get(fileName)!, 0);
    const ok = total <= budget.maxGzipBytes;
    failed ||= !ok;
    lines.push(`  ${ok ? 'ok  ' : 'OVER'} ${budget.label.padEnd(44)} ${String(total).padStart(6)} B of ${budget.maxGzipBytes} B`);
  }
  lines.push(`  precompressed: ${written.identity} B → ${written.br} B brotli, ${written.gzip} B gzip (.br and .gz beside each file)`);
  console.log(lines.join('\n'));
  if (failed) {
    console.error('widget size budget exceeded (widgets/build/budgets.ts)');
    process.exitCode = 1;
  }
}

await main();
