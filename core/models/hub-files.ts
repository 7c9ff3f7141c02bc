import { z } from 'zod';
import { OsvError } from '../errors.js';

/** `owner/name`, as the Hub names repositories. */
export const repoSchema = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'a model repository is named owner/name, e.g. Xenova/all-MiniLM-L6-v2');
export const revisionSchema = z.string().regex(/^[\w./-]+$/, 'a revision is a branch, tag or commit').refine((value) => !value.split('/').includes('..'));

/** A relative path inside the repository, never leaving it. */
const repoPath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith('/') && !path.split('/').some((part) => part === '..' || part === ''), 'not a path inside the repository');

const modelInfoSchema = z.object({
  siblings: z.array(
    z.object({
      rfilename: repoPath,
      size: z.number().int().nonnegative().optional(),
      lfs: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() }).optional(),
    }),
  ),
});

export interface HubFile {
  path: string;
  size?: number;
  /** Present for files kept in Git LFS (every weights file). */
  sha256?: string;
}

/** The files of a repository at a revision, from the Hub API (`?blobs=true` adds sizes and LFS hashes). */
export async function listHubFiles(endpoint: string, repo: string, revision: string, token?: string): Promise<HubFile[]> {
  const path = revision === 'main' ? `/api/models/${repo}` : `/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
  const url = new URL(`${path}?blobs=true`, endpoint);
  let response: Response;
  try {
    response = await fetch(url, { headers: authorization(token) });
  } catch (error) {
    throw new OsvError('OSV_ERR_UNAVAILABLE', `The model hub at ${url.origin} cannot be reached (${(error as Error).message}); check OSV_HF_ENDPOINT and the network`);
  }
  if (response.status === 401 || response.status === 404) {
    throw new OsvError('OSV_ERR_NOT_FOUND', `${repo} (revision ${revision}) is not on ${url.origin}, or it is gated: check the name, or set HF_TOKEN`);
  }
  if (!response.ok) throw new OsvError('OSV_ERR_UNAVAILABLE', `The model hub answered ${response.status} for ${repo}; try again later`);
  const parsed = modelInfoSchema.safeParse(await response.json());
  if (!parsed.success) throw new OsvError('OSV_ERR_UNAVAILABLE', `The model hub sent a file list osv does not understand for ${repo}`);
  return parsed.data.siblings.map((sibling) => ({ path: sibling.rfilename, size: sibling.lfs?.size ?? sibling.size, sha256: sibling.lfs?.sha256 }));
}

export function authorization(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * What a model needs when no file is named: its configuration and tokenizer files, and one ONNX
 * export (the int8 one when there is one: a quarter of the size, nearly the same vectors). PyTorch,
 * TensorFlow and other ONNX variants are left out. A repository of GGUF files needs a choice.
 */
export function filesToPull(files: HubFile[], wanted: string[], all: boolean): HubFile[] {
  if (all) return files;
  if (wanted.length > 0) {
    const missing = wanted.filter((name) => !files.some((file) => file.path === name));
    if (missing.length > 0) throw new OsvError('OSV_ERR_NOT_FOUND', `Not in the repository: ${missing.join(', ')}`);
    return files.filter((file) => wanted.includes(file.path));
  }
  const ggufs = files.filter((file) => file.path.endsWith('.gguf'));
  if (ggufs.length > 0) {
    throw new OsvError('OSV_ERR_VALIDATION', `This repository holds GGUF files; choose one with --file: ${ggufs.map((file) => file.path).join(', ')}`);
  }
  const onnx = ['onnx/model_quantized.onnx', 'onnx/model.onnx', 'model.onnx'].find((path) => files.some((file) => file.path === path));
  if (!onnx) throw new OsvError('OSV_ERR_VALIDATION', 'This repository has no ONNX model (onnx/model.onnx); name the files to pull with --file, or pass --all');
  return files.filter((file) => file.path === onnx || (/\.(json|txt|model)$/.test(file.path) && !file.path.startsWith('onnx/')));
}
