import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { PROJECT_ROOT } from '../version.js';

/** Built by `npm run build:widgets` (widgets/build/build-widgets.ts). */
export const WIDGETS_DIR = path.join(PROJECT_ROOT, 'widgets', 'dist', 'v1');

/** Content-hashed files never change: browsers and CDNs may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** `loader.js` and `manifest.json` move with each release of v1: short, revalidated in the background. */
const MOVING = 'public, max-age=300, stale-while-revalidate=86400';

/** The build writes these beside each script and JSON file (widgets/build/precompress.ts). */
const ENCODED_SUFFIX: Record<string, string> = { br: '.br', gzip: '.gz' };

/** `chunks/x.js.br` → `chunks/x.js`: the file a precompressed copy stands for. */
function original(relativePath: string): string {
  return relativePath.replace(/\.(br|gz)$/, '');
}

function contentHashed(relativePath: string): boolean {
  const file = original(relativePath);
  return file.startsWith(`chunks${path.sep}`) || /^loader-[\w-]+\.js$/.test(file);
}

/**
 * Picks the build's brotli or gzip copy of a script or JSON file when the browser accepts that
 * encoding, so nothing is compressed per request. Each encoding is its own file, hence its own
 * ETag; SRI hashes cover the decoded bytes, which are the same in every encoding.
 */
function precompressed(dir: string): RequestHandler {
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !/\.(js|json)$/.test(req.path) || req.path.includes('..')) return next();
    res.vary('Accept-Encoding');
    // The smaller encoding the browser takes at all (browsers list gzip first, so not their order).
    const encoding = ['br', 'gzip'].find((candidate) => req.acceptsEncodings(candidate) === candidate);
    const suffix = encoding && ENCODED_SUFFIX[encoding];
    if (!suffix || !existsSync(path.join(dir, `${req.path}${suffix}`))) return next();
    res.setHeader('Content-Encoding', encoding);
    res.type(path.extname(req.path));
    req.url = `${req.path}${suffix}`;
    next();
  };
}

export interface WidgetManifest {
  version: string;
  loader: { latest: string; pinned: string; integrity: string };
  files: Record<string, { integrity: string; gzipBytes: number }>;
  widgets: Record<string, string[]>;
}

export function readWidgetManifest(dir = WIDGETS_DIR): WidgetManifest | undefined {
  const file = path.join(dir, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WidgetManifest) : undefined;
}

/**
 * `/widgets/v1/…`: the loader, the widget chunks and `manifest.json` (SRI hashes), brotli or gzip
 * encoded when the browser accepts it. Any site may
 * load them: module scripts are fetched with CORS, so they carry `Access-Control-Allow-Origin: *`
 * (what a site may *do* is decided by its publishable key on the API, not here).
 */
export function widgetAssets(dir = WIDGETS_DIR): Router {
  const router = express.Router();
  router.use(
    '/widgets/v1',
    precompressed(dir),
    express.static(dir, {
      index: false,
      redirect: false,
      cacheControl: false,
      setHeaders(res, filePath) {
        res.setHeader('Cache-Control', contentHashed(path.relative(dir, filePath)) ? IMMUTABLE : MOVING);
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      },
    }),
  );
  return router;
}
