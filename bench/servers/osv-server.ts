import { loadConfig } from '../../core/config.js';
import { createApp } from '../../core/http/app.js';
import { Kernel } from '../../core/kernel.js';
import { createLogger } from '../../core/logger.js';
import { firstPartyPlugins } from '../../plugins/index.js';
import { serveForParent } from './serve-for-parent.js';

/** osv as `serve` runs it (workers included), with a tenant and a learner API key for the load generator. */
const config = loadConfig(process.env);
const kernel = await Kernel.start({ config, plugins: firstPartyPlugins, log: createLogger(config.LOG_LEVEL) });
const tenant = await kernel.tenants.create({ slug: 'bench', name: 'Bench tenant' });
const { secret } = await kernel.credentials.createApiKey(tenant.id, { name: 'bench', role: 'learner' });
await serveForParent(createApp(kernel), { Authorization: `Bearer ${secret}` }, () => kernel.shutdown());
