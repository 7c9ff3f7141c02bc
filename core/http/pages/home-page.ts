import type { Request, RequestHandler } from 'express';
import type { PluginStatus } from '../../plugins/plugin-registry.js';
import { CORE_VERSION } from '../../version.js';

export interface HomeFacts {
  database: 'embedded PostgreSQL' | 'external PostgreSQL';
  jobs: 'BullMQ on Redis' | 'in-process';
  plugins(): Promise<PluginStatus[]>;
  /** Whether this visitor may see the version, the deployment layout and the plugins. */
  showsDetails(req: Request): Promise<boolean>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

async function details(facts: HomeFacts): Promise<{ version: string; body: string }> {
  const plugins = await facts.plugins();
  const rows = plugins
    .map((p) => `<tr><td>${escapeHtml(p.id)}</td><td>${escapeHtml(p.version ?? '')}</td><td>${escapeHtml(p.state)}</td></tr>`)
    .join('');
  return {
    version: ` <small>${escapeHtml(CORE_VERSION)}</small>`,
    body: `<p>The service is running: database <strong>${facts.database}</strong>, jobs <strong>${facts.jobs}</strong>.</p>
<ul>
<li><a href="/api/docs">API reference</a> (<a href="/api/v1/openapi.json">OpenAPI document</a>)</li>
<li><a href="/widgets/docs">Embed widgets on your site</a>: snippets, the SRI-pinned loader, the CSP a site needs</li>
<li><a href="/widgets/demo">Widgets demo</a></li>
<li><a href="/lti/setup">Connect an LMS (Moodle, Canvas)</a></li>
<li>Health: <a href="/health">/health</a>, <a href="/ready">/ready</a>, <a href="/metrics">/metrics</a></li>
</ul>
<h2>Plugins</h2>
<table><thead><tr><th>id</th><th>version</th><th>state</th></tr></thead><tbody>${rows}</tbody></table>`,
  };
}

const PUBLIC_BODY = `<p>The service is running.</p>
<ul>
<li><a href="/api/docs">API reference</a></li>
<li><a href="/widgets/docs">Embedding the widgets</a></li>
<li><a href="/lti/setup">Connect an LMS (Moodle, Canvas)</a></li>
</ul>
<p>Signed-in administrators see the version, the deployment and the plugins here.</p>`;

/**
 * `GET /`: what is running and where to go next. The version, the deployment layout and the plugin
 * list are for a developer on this machine and for signed-in admins, not for every visitor.
 */
export function homePage(facts: HomeFacts): RequestHandler {
  return async (req, res) => {
    const shown = (await facts.showsDetails(req)) ? await details(facts) : { version: '', body: PUBLIC_BODY };
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Open Study Volt</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
table{border-collapse:collapse}td,th{padding:.2rem .8rem;border-bottom:1px solid #dde}code{background:#f3f4f8;padding:0 .3rem}</style>
</head><body>
<h1>Open Study Volt${shown.version}</h1>
${shown.body}
</body></html>`);
  };
}
