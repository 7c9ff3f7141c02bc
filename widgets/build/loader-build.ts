import { nodeResolve } from '@rollup/plugin-node-resolve';
import path from 'node:path';
import { rollup } from 'rollup';
import { outputDir, sourceDir } from './paths.js';
import { minify, typescript } from './widget-chunks.js';

export interface ChunkMap {
  files: Array<[path: string, integrity: string]>;
  tags: Record<string, number[]>;
}

const VIRTUAL_ID = 'virtual:osv-chunks';

/** Builds `loader.js` as one file, with the widget chunks' names and SRI hashes compiled in. */
export async function buildLoader(chunkMap: ChunkMap): Promise<string> {
  const build = await rollup({
    input: path.join(sourceDir, 'loader', 'loader.ts'),
    plugins: [
      {
        name: 'osv-chunk-map',
        resolveId: (id) => (id === VIRTUAL_ID ? id : null),
        load: (id) => (id === VIRTUAL_ID ? `export default ${JSON.stringify(chunkMap)};` : null),
      },
      nodeResolve({ browser: true }),
      typescript(),
      minify(),
    ],
  });
  const { output } = await build.write({ dir: outputDir, format: 'es', entryFileNames: 'loader.js' });
  await build.close();
  return output[0].code;
}
