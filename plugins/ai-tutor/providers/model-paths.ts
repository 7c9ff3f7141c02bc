import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Where a model setting points: an absolute path, a path relative to the working directory, or a
 * name under the models directory (`osv models pull <repo>` puts a repository at `<modelsDir>/<repo>`).
 * Undefined when nothing is there.
 */
export function resolveModelPath(nameOrPath: string, modelsDir: string): string | undefined {
  const candidates = isAbsolute(nameOrPath) ? [nameOrPath] : [join(modelsDir, nameOrPath), resolve(nameOrPath)];
  return candidates.find((candidate) => existsSync(candidate));
}

/** A GGUF file: the path itself, or the only `.gguf` file of a pulled repository folder. */
export function ggufFile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path).filter((name) => name.toLowerCase().endsWith('.gguf'));
  if (files.length !== 1) {
    throw new Error(`${path} holds ${files.length} .gguf files; name one of them (${files.join(', ') || 'none'})`);
  }
  return join(path, files[0]!);
}
