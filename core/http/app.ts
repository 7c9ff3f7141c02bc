import express, { type Express, type RequestHandler } from 'express';
import { authRoutes } from '../admin/auth-routes.js';
import { jobRoutes } from '../admin/job-routes.js';
import { keyRoutes } from '../admin/key-routes.js';
import { pluginRoutes } from '../admin/plugin-routes.js';
import { tenantRoutes } from '../admin/tenant-routes.js';
import { OsvError } from '../errors.js';
import type { Kernel } from '../kernel.js';
import { apiCompression } from './api-compression.js';
import { ApiRouter } from './api-router.js';
import { refusedCredentialThrottle } from '../auth/failure-throttle.js';
import { authenticate } from './authenticate.js';
import { corsPolicy } from './cors-policy.js';
import { csrfGuard } from './csrf-guard.js';
import { errorMiddleware, notFound } from './error-middleware.js';
import { healthRoutes } from './health-routes.js';
import { buildOpenApiDocument } from './openapi-document.js';
import { apiDocsRouter } from './pages/api-docs.js';
import { favicon } from './pages/favicon.js';
import { homeDetailsAudience } from './pages/home-audience.js';
import { homePage } from './pages/home-page.js';
import { metricsAccess } from './metrics-access.js';
import { inSeries } from './in-series.js';
import { refuseUndecodablePath } from './path-encoding.js';
import { widgetPages } from './pages/widget-pages.js';
import { rateLimit } from './rate-limit.js';
import { requestObserver } from './request-observer.js';
import { securityHeaders } from './security-headers.js';
import { widgetAssets } from './widget-assets.js';

/** Bodies we accept are JSON (raw-body and streamed-body routes aside); anything else with a body is refused before parsing. */
function jsonBody(limit: string): RequestHandler {
  const parseJson = express.json({ limit });
  return (req, res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (req.rawBody || req.streamBody || !hasBody) return next();
    if (!req.is('application/json')) throw new OsvError('OSV_ERR_UNSUPPORTED_MEDIA_TYPE');
    parseJson(req, res, next);
  };
}

export interface AppExtensions {
  /** Extra routers the composition root mounts beside the pages (LTI, widgets…). */
  routers?: express.Router[];
  /** Extra JSON API routers, mounted behind the API's authentication and rate limits (e.g. `/api/v1/lti`). */
  apiRouters?: Array<{ path: string; router: express.Router }>;
}

export function createApp(kernel: Kernel, extensions: AppExtensions = {}): Express {
  const { config, log } = kernel;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.OSV_TRUST_PROXY);
  // API answers are no-store and pages are dynamic, so validators would only cost a hash per response;
  // static assets keep serve-static's own.
  app.set('etag', false);

  app.use(inSeries([requestObserver(app, log, kernel.metrics), securityHeaders(), refuseUndecodablePath]));

  // The API comes first so its requests skip the page routers; its documentation needs no credentials.
  app.use('/api/docs', apiDocsRouter());
  mountApi(app, kernel, extensions.apiRouters ?? []);

  app.use('/metrics', metricsAccess(config));
  app.use(healthRoutes(kernel));
  app.get('/', homePage({
    database: config.DATABASE_URL ? 'external PostgreSQL' : 'embedded PostgreSQL',
    jobs: kernel.redis ? 'BullMQ on Redis' : 'in-process',
    plugins: () => kernel.plugins.list(),
    showsDetails: homeDetailsAudience({ config, credentials: kernel.credentials }),
  }));
  app.use(widgetAssets(), widgetPages(config.PUBLIC_URL), favicon());
  for (const router of extensions.routers ?? []) app.use(router);

  app.use(notFound);
  app.use(errorMiddleware(log));
  return app;
}

function mountApi(app: Express, kernel: Kernel, apiRouters: NonNullable<AppExtensions['apiRouters']>): void {
  const { config } = kernel;
  const api = new ApiRouter({ prefix: '/api/v1', tag: 'core', openapi: kernel.openapi, capabilities: kernel.capabilities });
  authRoutes(api, kernel);
  tenantRoutes(api, kernel);
  pluginRoutes(api, kernel);
  keyRoutes(api, kernel);
  jobRoutes(api, kernel);
  app.use('/api', apiCompression());
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument(kernel.openapi, config.PUBLIC_URL));
  });
  app.use(
    '/api',
    inSeries([
      corsPolicy({ adminOrigins: config.OSV_CORS_ORIGINS }),
      kernel.rawBodyRoutes.parser('1mb'),
      jsonBody('1mb'),
      authenticate(kernel, refusedCredentialThrottle(kernel.redis?.commands, config.OSV_QUEUE_PREFIX)),
      csrfGuard({ publicUrl: config.PUBLIC_URL, adminOrigins: config.OSV_CORS_ORIGINS, signingKey: kernel.secrets.signingKey }),
      rateLimit({ pointsPerMinute: config.OSV_RATE_LIMIT_PER_MINUTE, redis: kernel.redis?.commands, keyPrefix: `${config.OSV_QUEUE_PREFIX}:rl` }),
    ]),
  );
  app.use('/api/v1', api.router);
  for (const { path, router } of apiRouters) app.use(path, router);
  app.use('/api/v1/plugins/:pluginId', kernel.plugins.routes());
}
