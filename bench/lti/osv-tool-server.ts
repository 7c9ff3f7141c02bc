import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startPlatform } from '../../server/platform.js';
import { platformFromEnv, serveToolForParent } from './tool-server.js';

/** osv as `serve` runs it, with the simulated LMS registered for a tenant that has a plugin enabled. */
await serveToolForParent(async (baseUrl) => {
  const lms = platformFromEnv(process.env);
  const config = loadConfig({ ...process.env, PUBLIC_URL: baseUrl });
  const platform = await startPlatform({ config, log: createLogger(config.LOG_LEVEL) });
  const tenant = await platform.kernel.tenants.create({ slug: 'bench-lti', name: 'Bench University' });
  await platform.kernel.plugins.setEnabled(tenant.id, 'example', true);
  await platform.lti.services.registrations.create(tenant.id, {
    name: 'Simulated Moodle',
    issuer: lms.issuer,
    clientId: lms.clientId,
    authorizationEndpoint: lms.authorizationEndpoint,
    tokenEndpoint: lms.tokenEndpoint,
    jwksUri: lms.jwksUri,
    source: 'manual',
    deploymentIds: [lms.deploymentId],
  });
  return { app: platform.createApp(), stop: () => platform.kernel.shutdown() };
});
