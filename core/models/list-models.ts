import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export interface InstalledModel {
  /** The name a setting takes: the path under the models directory. */
  name: string;
  kind: 'ONNX embeddings' | 'GGUF chat' | 'other';
  bytes: number;
  /** The settings that point at it. */
  usedBy: string[];
}

/** What the tutor's model settings name, as `osv models list` reports them. */
export interface ModelReferences {
  OSV_EMBEDDING_MODEL?: string;
  OSV_LLM_MODEL?: string;
}

/** Models under `modelsDir` (`<name>` or `<owner>/<name>`, as `osv models pull` lays them out). */
export function listModels(modelsDir: string, references: ModelReferences): { models: InstalledModel[]; missing: string[] } {
  const found = existsSync(modelsDir) ? modelEntries(modelsDir, modelsDir, 2) : [];
  const models = found.map((path) => ({
    name: relative(modelsDir, path),
    kind: kindOf(path),
    bytes: sizeOf(path),
    usedBy: Object.entries(references)
      .filter(([, value]) => value && pointsInto(resolveReference(value, modelsDir), path))
      .map(([key]) => key),
  }));
  const missing = Object.entries(references)
    .filter(([, value]) => value && !existsSync(resolveReference(value, modelsDir)))
    .map(([key, value]) => `${key}=${value}`);
  return { models, missing };
}

function resolveReference(value: string, modelsDir: string): string {
  if (isAbsolute(value)) return value;
  const underModels = join(modelsDir, value);
  return existsSync(underModels) ? underModels : resolve(value);
}

function pointsInto(reference: string, model: string): boolean {
  const inside = relative(model, reference);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}

function isModelFolder(path: string): boolean {
  const names = readdirSync(path);
  return names.includes('config.json') || names.includes('onnx') || names.some((name) => name.endsWith('.gguf') || name.endsWith('.onnx'));
}

function modelEntries(root: string, path: string, depth: number): string[] {
  const entries: string[] = [];
  for (const name of readdirSync(path)) {
    const child = join(path, name);
    const info = statSync(child);
    if (info.isFile() && name.endsWith('.gguf')) entries.push(child);
    else if (info.isDirectory() && isModelFolder(child)) entries.push(child);
    else if (info.isDirectory() && depth > 1) entries.push(...modelEntries(root, child, depth - 1));
  }
  return entries;
}

function kindOf(path: string): InstalledModel['kind'] {
  if (path.endsWith('.gguf')) return 'GGUF chat';
  const names = readdirSync(path);
  if (names.some((name) => name.endsWith('.gguf'))) return 'GGUF chat';
  if (names.includes('onnx') || names.some((name) => name.endsWith('.onnx'))) return 'ONNX embeddings';
  return 'other';
}

function sizeOf(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.size;
  return readdirSync(path).reduce((total, name) => total + sizeOf(join(path, name)), 0);
}
