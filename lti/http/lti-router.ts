import express, { type Router } from 'express';
import { z } from 'zod';
import { OsvError } from '../../core/errors.js';
import { ApiRouter } from '../../core/http/api-router.js';
import { launchContinueHandler, launchHandler } from '../launch/launch-handler.js';
import { loginHandler } from '../launch/login-handler.js';
import type { LtiServices } from '../lti-services.js';
import { canvasConfiguration } from '../registration/canvas-configuration.js';
import { dynamicRegistrationHandler } from '../registration/dynamic-registration-handler.js';
import { setupPageHandler } from '../registration/setup-page.js';
import { browserErrors } from './browser-errors.js';

const tenantParams = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/) });

/** The pages and documents LMSs and browsers reach directly, under /lti. */
export function ltiRouter(services: LtiServices): Router {
  const { kernel } = services;
  const router = express.Router();
  // The id_token POST carries the largest form (the token and its custom claims); the parser
  // takes twice the token limit so that an oversized token is refused with its own reason.
  const launchForm = express.urlencoded({ extended: false, limit: services.options.idTokenMaxBytes * 2, parameterLimit: 20 });
  router.use('/lti/launch', launchForm);
  router.use('/lti/tenants/:slug/launch', launchForm);
  router.use('/lti', express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));

  const tenantOf = async (params: unknown) => {
    const parsed = tenantParams.safeParse(params);
    if (!parsed.success) throw new OsvError('OSV_ERR_TENANT_NOT_FOUND');
    return kernel.tenants.get(parsed.data.slug);
  };
  const tenantOfRequest = (req: express.Request) => tenantOf(req.params);

  const loginDeps = {
    resolver: services.resolver,
    states: services.loginStates,
    cookies: services.stateCookies,
    urls: services.urls,
    loginTtlSeconds: services.options.loginTtlSeconds,
    launchLog: services.launchLog,
    log: kernel.log,
  };
  // Each tenant's own login and launch URLs find the LMS among that tenant's registrations; the
  // shared ones serve LMSs connected before, while one tenant only registered them.
  const login = loginHandler(loginDeps);
  router.get('/lti/login', login);
  router.post('/lti/login', login);
  const tenantLogin = loginHandler({ ...loginDeps, tenantOf: tenantOfRequest });
  router.get('/lti/tenants/:slug/login', tenantLogin);
  router.post('/lti/tenants/:slug/login', tenantLogin);
  const launchDeps = {
      states: services.loginStates,
      handoffs: services.handoffs,
      cookies: services.stateCookies,
      resolver: services.resolver,
      verifier: services.verifier,
      gateway: services.gateway,
      recorder: services.recorder,
      launchLog: services.launchLog,
      catalogue: services.catalogue,
      accessTokens: kernel.accessTokens,
      urls: services.urls,
      accessTokenTtlSeconds: services.options.accessTokenTtlSeconds,
      idTokenMaxBytes: services.options.idTokenMaxBytes,
      log: kernel.log,
  };
  router.post('/lti/launch', launchHandler(launchDeps));
  router.post('/lti/tenants/:slug/launch', launchHandler({ ...launchDeps, tenantOf: tenantOfRequest }));
  router.post('/lti/launch/continue', launchContinueHandler(launchDeps));

  const documents = publicDocuments(services).router;
  // LMSs fetch these without a browser: their errors are JSON whatever the Accept header says.
  documents.use(browserErrors(kernel.log, services.options.idTokenMaxBytes, { json: true }));
  router.use('/lti', documents);
  router.get('/lti/tenants/:slug/register', async (req, res) => {
    await dynamicRegistrationHandler(services, await tenantOf(req.params), req, res);
  });
  router.get('/lti/setup', setupPageHandler(services));

  router.use('/lti', browserErrors(kernel.log, services.options.idTokenMaxBytes));
  return router;
}

/** The JSON documents LMSs fetch without credentials, described in the OpenAPI document like the API. */
function publicDocuments(services: LtiServices): ApiRouter {
  const { kernel } = services;
  const documents = new ApiRouter({ prefix: '/lti', tag: 'lti', openapi: kernel.openapi, capabilities: kernel.capabilities });
  documents.route({
    method: 'get',
    path: '/tenants/:slug/jwks.json',
    summary: "The tenant's public signing keys (JWKS): the active key and those in their rotation overlap",
    access: 'public',
    params: tenantParams,
    handler: async ({ params, res }) => {
      const tenant = await kernel.tenants.get(params.slug);
      // Short: a revoked key must leave LMS caches quickly.
      res.setHeader('Cache-Control', 'public, max-age=60');
      return services.toolKeys.publicKeySet(tenant.id);
    },
  });
  documents.route({
    method: 'get',
    path: '/tenants/:slug/canvas.json',
    summary: 'The LTI 1.3 developer-key configuration Canvas takes ("Enter URL"), for this tenant',
    access: 'public',
    params: tenantParams,
    handler: async ({ params, res }) => {
      res.setHeader('Cache-Control', 'no-cache');
      return canvasConfiguration(services.urls, await kernel.tenants.get(params.slug));
    },
  });
  return documents;
}
