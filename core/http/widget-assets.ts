import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { PROJECT_ROOT } from '../version.js';

/** Built by `npm run build:widgets` (widgets/build/build-widgets.ts). */
export const WIDGETS_DIR = path.join(PROJECT_ROOT, 'widgets', 'dist', 'v1');

/** Content-hashed files never change: browsers and CDNs may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** `loader.js` and `manifest.json` move with each release of v1: short, revalidated in the background. */
const MOVING = 'public, max-age=300, stale-while-revalidate=86400';

function contentHashed(relativePath: string): boolean {
  return relativePath.startsWith(`chunks${path.sep}`) || /^loader-[\w-]+\.js$/.test(relativePath);
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
 * `/widgets/v1/…`: the loader, the widget chunks and `manifest.json` (SRI hashes). Any site may
 * load them: module scripts are fetched with CORS, so they carry `Access-Control-Allow-Origin: *`
 * (what a site may *do* is decided by its publishable key on the API, not here).
 */
export function widgetAssets(dir = WIDGETS_DIR): Router {
  const router = express.Router();
  router.use(
    '/widgets/v1',
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
