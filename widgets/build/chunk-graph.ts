import type { OutputBundle, OutputChunk } from 'rollup';

export interface BuiltFile {
  fileName: string;
  code: string;
  /** Files it imports statically (they load with it). */
  imports: string[];
}

export function builtFiles(bundle: OutputBundle): Map<string, BuiltFile> {
  const files = new Map<string, BuiltFile>();
  for (const output of Object.values(bundle)) {
    if (output.type !== 'chunk') continue;
    const chunk = output as OutputChunk;
    files.set(chunk.fileName, { fileName: chunk.fileName, code: chunk.code, imports: chunk.imports });
  }
  return files;
}

/** A file and everything it statically imports, dependencies first, the file itself last. */
export function loadOrder(files: Map<string, BuiltFile>, fileName: string, seen = new Set<string>()): string[] {
  if (seen.has(fileName)) return [];
  seen.add(fileName);
  const file = files.get(fileName);
  if (!file) throw new Error(`the bundle has no ${fileName}`);
  return [...file.imports.flatMap((dependency) => loadOrder(files, dependency, seen)), fileName];
}
