import type { Browser, Page } from 'playwright-core';
import type { OsvPlugin } from '../../../../core/plugin-api.js';
import { launchBrowser } from '../../../support/browser.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../../support/harness.js';
import { type HostSite, type Listening, listen, startHostSite } from '../../../support/http-servers.js';
import { ensureWidgetBundle } from '../../../support/widget-bundle.js';

export interface PageOptions {
  /** Publishable key on the script tag (default: the site's key). */
  key?: string;
  /** Member token handed over through the command queue, before the loader arrives. */
  token?: string;
  lang?: string;
  /** Extra markup for <head> (styles, scripts). */
  head?: string;
  /** Load the loader from this path under /widgets/v1/ (default loader.js). */
  loader?: string;
  /** `integrity` attribute for the loader script. */
  integrity?: string;
}

export interface WidgetSite {
  platform: TestPlatform;
  /** The osv server (127.0.0.1). */
  osv: Listening;
  /** Every API request the osv server answered, as the server saw it. */
  apiLog: Array<{ method: string; url: string; origin?: string; status: number }>;
  /** The embedding website (127.0.0.2: another origin). */
  site: HostSite;
  browser: Browser;
  tenant: Tenancy;
  key: { id: string; key: string };
  /** What the site's backend does: exchange its secret key and a user id for a member token. */
  memberToken(userId: string): Promise<string>;
  /** Publishes a page on the site embedding osv with `body`, returns its URL. */
  hostPage(path: string, body: string, options?: PageOptions): string;
  /** A fresh page; its uncaught errors are collected in `pageErrors`. */
  newPage(): Promise<Page>;
  pageErrors: Error[];
  close(): Promise<void>;
}

export async function startWidgetSite(plugins: OsvPlugin[], env: Record<string, string> = {}): Promise<WidgetSite> {
  await ensureWidgetBundle();
  const site = await startHostSite();
  const platform = await startTestPlatform({ plugins, env });
  const apiLog: WidgetSite['apiLog'] = [];
  const osv = await listen((req, res) => {
    const url = req.url!;
    res.on('finish', () => {
      if (url.startsWith('/api/')) apiLog.push({ method: req.method!, url, origin: req.headers.origin, status: res.statusCode });
    });
    platform.app(req, res);
  });
  const tenant = await createTenant(platform.kernel, 'acme');
  for (const plugin of plugins) await platform.kernel.plugins.setEnabled(tenant.tenantId, plugin.manifest.id, true);
  const created = await platform.http
    .post('/api/v1/admin/publishable-keys')
    .set('Authorization', tenant.admin)
    .send({ name: 'acme.edu', allowedOrigins: [site.origin], allowedWidgets: ['osv-catalog', 'osv-enroll', 'osv-tutor'] });
  if (created.status !== 201) throw new Error(`publishable key: ${JSON.stringify(created.body)}`);
  const siteBackendKey = (await platform.kernel.credentials.createApiKey(tenant.tenantId, { name: 'acme.edu backend', role: 'admin' })).secret;
  const browser = await launchBrowser();
  const pageErrors: Error[] = [];

  return {
    platform,
    osv,
    apiLog,
    site,
    browser,
    tenant,
    key: created.body,
    pageErrors,
    async memberToken(userId) {
      const response = await platform.http.post('/api/v1/auth/embed-token').set('Authorization', `Bearer ${siteBackendKey}`).send({ userId });
      if (response.status !== 200) throw new Error(`embed token: ${JSON.stringify(response.body)}`);
      return response.body.token as string;
    },
    hostPage(path, body, options = {}) {
      const queue = options.token ? `<script>window.osv = window.osv || []; osv.push(['identify', { token: ${JSON.stringify(options.token)} }]);</script>` : '';
      const integrity = options.integrity ? ` integrity="${options.integrity}" crossorigin="anonymous"` : '';
      return site.page(
        path,
        `<!doctype html><html lang="${options.lang ?? 'en'}"><head><meta charset="utf-8"><title>Acme University</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:24px;max-width:720px}</style>${options.head ?? ''}${queue}
<script type="module" src="${osv.origin}/widgets/v1/${options.loader ?? 'loader.js'}" data-key="${options.key ?? created.body.key}"${integrity}></script>
</head><body><h1>Acme University</h1>${body}</body></html>`,
      );
    },
    async newPage() {
      const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
      page.on('pageerror', (error) => pageErrors.push(error));
      return page;
    },
    async close() {
      await browser.close();
      await osv.close();
      await site.close();
      await platform.close();
    },
  };
}
