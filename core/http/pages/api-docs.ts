import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>osv API reference</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** The OpenAPI document rendered by Swagger UI, served from our own origin (no CDN); mounted at /api/docs. */
export function apiDocsRouter(): Router {
  const router = express.Router();
  router.use('/assets', express.static(swaggerUiDir, { maxAge: '1d', index: false }));
  router.get('/init.js', (_req, res) => {
    res.type('application/javascript').send(init);
  });
  router.get('/', (_req, res) => {
    res.type('html').send(page);
  });
  return router;
}
