import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { loadConfig } from '../../core/config.js';
import { createApp } from '../../core/http/app.js';
import { Kernel } from '../../core/kernel.js';
import { createLogger } from '../../core/logger.js';
import type { PluginContext } from '../../core/plugin-api.js';
import { createTutorPlugin } from '../../plugins/ai-tutor/plugin.js';

export interface TutorServer {
  origin: string;
  kernel: Kernel;
  instructor: string;
  /** The tutor plugin's database handle. */
  db(): PluginContext['db'];
  close(): Promise<void>;
}

/**
 * osv with the tutor, serving HTTP on a free port, its jobs in-process, a tenant and an instructor
 * key; its database handle is kept for the vector-search measure.
 */
export async function startTutorServer(env: Record<string, string>): Promise<TutorServer> {
  const config = loadConfig(env);
  let db: PluginContext['db'] | undefined;
  const tutor = createTutorPlugin();
  const plugin = {
    ...tutor,
    register(ctx: PluginContext) {
      db = ctx.db;
      return tutor.register(ctx);
    },
  };
  const kernel = await Kernel.start({ config, plugins: [plugin], log: createLogger(config.LOG_LEVEL, process.stderr as never) });
  const tenant = await kernel.tenants.create({ slug: 'bench', name: 'Bench tenant' });
  await kernel.plugins.setEnabled(tenant.id, 'ai-tutor', true);
  const { secret } = await kernel.credentials.createApiKey(tenant.id, { name: 'bench', role: 'instructor' });
  const server = createServer(createApp(kernel));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    kernel,
    instructor: `Bearer ${secret}`,
    db: () => db!,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await kernel.shutdown();
    },
  };
}
