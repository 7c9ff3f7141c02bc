import express from 'express';
import type { Browser, Page, Route } from 'playwright-core';
import { readWidgetManifest, widgetAssets } from '../../../../core/http/widget-assets.js';
import { launchBrowser } from '../../../support/browser.js';
import { type Listening, listen } from '../../../support/http-servers.js';
import { ensureWidgetBundle } from '../../../support/widget-bundle.js';

export type ApiStub = (route: Route, url: URL) => Promise<void> | void;

export interface ComponentBench {
  origin: string;
  /**
   * A page with `body`, the widget chunks imported directly (no loader) and every `/api/v1/…`
   * call answered by `api` instead of a server.
   */
  mount(options: { widgets: string[]; body: string; api: ApiStub; head?: string }): Promise<Page>;
  close(): Promise<void>;
}

/** Component tests: the built chunks in the real browser, the network replaced by canned answers. */
export async function startComponentBench(): Promise<ComponentBench> {
  await ensureWidgetBundle();
  const manifest = readWidgetManifest()!;
  const app = express().use(widgetAssets());
  const pages = new Map<string, string>();
  app.get('/page/:id', (req, res) => {
    res.type('html').send(pages.get(req.params.id) ?? '');
  });
  const server: Listening = await listen(app);
  const browser: Browser = await launchBrowser();
  return {
    origin: server.origin,
    async mount({ widgets, body, api, head = '' }) {
      const id = String(pages.size);
      const scripts = widgets.map((tag) => `<script type="module" src="/widgets/v1/${manifest.widgets[tag]!.at(-1)}"></script>`).join('');
      pages.set(id, `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}${scripts}</head><body>${body}</body></html>`);
      const page = await browser.newPage();
      await page.route(`${server.origin}/api/v1/**`, (route) => api(route, new URL(route.request().url())));
      await page.goto(`${server.origin}/page/${id}`);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export const json = (route: Route, body: unknown, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
