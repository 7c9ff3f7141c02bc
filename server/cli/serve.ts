import type { AddressInfo } from 'node:net';
import type { Platform } from '../platform.js';
import { ensureFirstTenant } from '../../core/tenancy/first-run.js';

/** HTTP (and, unless disabled, workers) in one process; SIGTERM/SIGINT shut down gracefully. */
export async function serve(platform: Pick<Platform, 'kernel' | 'createApp'>): Promise<void> {
  const { kernel } = platform;
  const credentials = await ensureFirstTenant(kernel);
  const app = platform.createApp();
  const server = app.listen(kernel.config.PORT, kernel.config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  if (credentials) {
    // Printed once, to the terminal only: never to the structured log.
    process.stdout.write(
      [
        '',
        '  First run: created tenant "default" and its owner account. This password is not shown again.',
        `    tenant:   ${credentials.tenant}`,
        `    email:    ${credentials.email}`,
        `    password: ${credentials.password}`,
        '',
        '',
      ].join('\n'),
    );
  }
  kernel.log.info({ url: kernel.config.PUBLIC_URL, port }, 'osv is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    kernel.log.info({ signal }, 'shutting down');
    server.close();
    server.closeIdleConnections();
    await kernel.shutdown();
    server.closeAllConnections();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
