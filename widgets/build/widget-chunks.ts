import { nodeResolve } from '@rollup/plugin-node-resolve';
import terserPlugin from '@rollup/plugin-terser';
import path from 'node:path';
import { type OutputBundle, rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { widgetEntries } from '../src/widget-tags.js';
import { outputDir, sourceDir, widgetsRoot } from './paths.js';

// The plugin's types describe its CommonJS build; NodeNext types the ES build's default export as the module.
const terser = terserPlugin as unknown as typeof terserPlugin.default;

const LIT_MODULES = /node_modules[\\/](lit|lit-html|lit-element|@lit[\\/]reactive-element)[\\/]/;
const SHARED_MODULES = /widgets[\\/]src[\\/](shared|i18n|runtime)[\\/]/;

function sharedChunk(id: string): string | undefined {
  if (LIT_MODULES.test(id)) return 'lit';
  if (SHARED_MODULES.test(id)) return 'shared';
  return undefined;
}

export const minify = () =>
  terser({ module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } });

export const typescript = () => esbuild({ target: 'es2022', tsconfig: path.join(widgetsRoot, 'tsconfig.json') });

/**
 * Every widget is its own entry; they share one Lit chunk and one chunk of our common code. Names
 * carry a content hash, so a file never changes once published.
 */
export async function buildWidgetChunks(): Promise<OutputBundle> {
  const input = Object.fromEntries(Object.values(widgetEntries).map((entry) => [entry, path.join(sourceDir, entry, 'index.ts')]));
  const build = await rollup({
    input,
    plugins: [nodeResolve({ browser: true }), typescript(), minify()],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => LIT_MODULES.test(id))) return;
      warn(warning);
    },
  });
  const { output } = await build.write({
    dir: outputDir,
    format: 'es',
    entryFileNames: 'chunks/[name]-[hash].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    manualChunks: sharedChunk,
  });
  await build.close();
  return Object.fromEntries(output.map((file) => [file.fileName, file]));
}
