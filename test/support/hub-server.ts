import { createHash } from 'node:crypto';
import { listen } from './http-servers.js';

export interface HubRepoFile {
  path: string;
  bytes: Buffer;
  /** Weights live in Git LFS: the file list carries their sha256. */
  lfs?: boolean;
  /** Serves other bytes than the list describes (a corrupt mirror). */
  corrupt?: boolean;
}

export interface HubServer {
  endpoint: string;
  /** Paths of every request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * A model hub on the Hugging Face Hub's documented URLs: `GET /api/models/<repo>?blobs=true` lists
 * the files with sizes and LFS sha256, and `GET /<repo>/resolve/<revision>/<path>` redirects LFS
 * files to a content URL, as the Hub does, and serves the others directly.
 */
export async function startHubServer(repos: Record<string, HubRepoFile[]>): Promise<HubServer> {
  const requests: string[] = [];
  const listening = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    requests.push(url.pathname);
    const api = /^\/api\/models\/([^/]+\/[^/]+)$/.exec(url.pathname);
    if (api) {
      const files = repos[api[1]!];
      if (!files) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Repository not found"}');
      const siblings = files.map((file) => ({
        rfilename: file.path,
        size: file.bytes.length,
        ...(file.lfs ? { lfs: { sha256: sha256(file.bytes), size: file.bytes.length, pointerSize: 134 } } : {}),
      }));
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: api[1], siblings }));
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const content = /^\/content\/([^/]+\/[^/]+)\/(.+)$/.exec(url.pathname);
    const [repo, path] = resolve ? [resolve[1]!, resolve[3]!] : content ? [content[1]!, content[2]!] : [];
    const file = repo ? repos[repo]?.find((candidate) => candidate.path === decodeURIComponent(path!)) : undefined;
    if (!file) return void res.writeHead(404).end('Entry not found');
    if (resolve && file.lfs) return void res.writeHead(302, { location: `/content/${repo}/${path}` }).end();
    const bytes = file.corrupt ? Buffer.from(file.bytes).fill(7, 0, 16) : file.bytes;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
  });
  return { endpoint: listening.origin, requests, close: listening.close };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
