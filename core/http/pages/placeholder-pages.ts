import express, { type Router } from 'express';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Open Study Volt</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}</style></head>
<body><p><a href="/">← Open Study Volt</a></p><h1>${title}</h1>${body}</body></html>`;

/** `/widgets/demo` and `/lti/setup` until the widget bundle and the LTI tool are mounted over them. */
export function placeholderPages(plugins: PluginRegistry): Router {
  const router = express.Router();
  router.get('/widgets/demo', async (_req, res) => {
    const installed = (await plugins.list()).filter((plugin) => plugin.state === 'installed').map((plugin) => plugin.id);
    res.type('html').send(
      page(
        'Widgets demo',
        `<p>No widget bundle is built into this server yet. Installed plugins: ${installed.join(', ') || 'none'}.</p>`,
      ),
    );
  });
  router.get('/lti/setup', (_req, res) => {
    res.type('html').send(page('Connect an LMS', '<p>The LTI 1.3 tool is not enabled in this server yet.</p>'));
  });
  return router;
}
