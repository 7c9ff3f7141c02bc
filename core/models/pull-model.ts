import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OsvError } from '../errors.js';
import { authorization, filesToPull, type HubFile, listHubFiles } from './hub-files.js';
import { ProgressBar } from './progress-bar.js';

export interface PullOptions {
  endpoint: string;
  token?: string;
  modelsDir: string;
  repo: string;
  revision: string;
  files: string[];
  all: boolean;
  /** Where the progress bar goes (stderr). */
  progress: NodeJS.WritableStream;
}

/**
 * Downloads a model repository's files into `<modelsDir>/<repo>/`, each checked against the size and
 * sha256 the Hub lists; a file is written under a temporary name and renamed only once it checks
 * out, so an interrupted or corrupt download never looks like a model. Files already in place
 * and intact are not downloaded again.
 */
export async function pullModel(options: PullOptions): Promise<{ folder: string; files: HubFile[] }> {
  const listed = await listHubFiles(options.endpoint, options.repo, options.revision, options.token);
  const files = filesToPull(listed, options.files, options.all);
  const folder = join(options.modelsDir, options.repo);
  for (const file of files) {
    const target = join(folder, file.path);
    if (await intact(target, file)) {
      options.progress.write(`${file.path}: already here\n`);
      continue;
    }
    await download(options, file, target);
  }
  return { folder, files };
}

async function download(options: PullOptions, file: HubFile, target: string): Promise<void> {
  const url = new URL(`/${options.repo}/resolve/${encodeURIComponent(options.revision)}/${file.path}`, options.endpoint);
  let response: Response;
  try {
    response = await fetch(url, { headers: authorization(options.token) });
  } catch (error) {
    throw new OsvError('OSV_ERR_UNAVAILABLE', `${file.path} could not be downloaded from ${url.origin} (${(error as Error).message})`);
  }
  if (!response.ok || !response.body) throw new OsvError('OSV_ERR_UNAVAILABLE', `${file.path}: the hub answered ${response.status}; try again later`);
  const total = file.size ?? (Number(response.headers.get('content-length')) || undefined);
  const bar = new ProgressBar(options.progress, file.path, total);
  const hash = createHash('sha256');
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      received += chunk.length;
      bar.update(received);
      done(null, chunk);
    },
  });
  const partial = `${target}.part`;
  await mkdir(dirname(target), { recursive: true });
  try {
    await pipeline(Readable.fromWeb(response.body as never), meter, createWriteStream(partial));
    bar.finish(received);
    const digest = hash.digest('hex');
    if (file.size !== undefined && received !== file.size) {
      throw new OsvError('OSV_ERR_UNAVAILABLE', `${file.path}: received ${received} bytes, the hub lists ${file.size}; nothing was kept, pull again`);
    }
    if (file.sha256 && digest !== file.sha256) {
      throw new OsvError('OSV_ERR_UNAVAILABLE', `${file.path}: sha256 ${digest} differs from the hub's ${file.sha256}; nothing was kept, pull again`);
    }
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof OsvError) throw error;
    throw new OsvError('OSV_ERR_UNAVAILABLE', `${file.path}: the download broke off (${(error as Error).message}); pull again`);
  }
}

async function intact(path: string, file: HubFile): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || (file.size !== undefined && info.size !== file.size)) return false;
  if (!file.sha256) return file.size !== undefined;
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex') === file.sha256;
}
