import type { AddressInfo } from 'node:net';
import type { Platform } from '../platform.js';
import type { Config } from '../../core/config.js';
import { StartupError } from '../../core/startup-error.js';
import { ensureFirstTenant } from '../../core/tenancy/first-run.js';

/** HTTP (and, unless disabled, workers) in one process; SIGTERM/SIGINT shut down gracefully. */
export async function serve(platform: Pick<Platform, 'kernel' | 'createApp'>): Promise<void> {
  const { kernel } = platform;
  const credentials = await ensureFirstTenant(kernel);
  const app = platform.createApp();
  const server = app.listen(kernel.config.PORT, kernel.config.HOST);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    await kernel.shutdown();
    throw listenError(error as NodeJS.ErrnoException, kernel.config);
  }
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

function listenError(error: NodeJS.ErrnoException, config: Pick<Config, 'HOST' | 'PORT'>): Error {
  const address = `${config.HOST}:${config.PORT}`;
  if (error.code === 'EADDRINUSE') {
    return new StartupError(`Port ${config.PORT} is already in use (${address}): stop the program using it, or set PORT to a free port.`);
  }
  if (error.code === 'EACCES') return new StartupError(`Not allowed to listen on ${address}: ports below 1024 need privileges; set PORT to 1024 or above.`);
  if (error.code === 'EADDRNOTAVAIL') return new StartupError(`HOST ${config.HOST} is not an address of this machine: set HOST to one (0.0.0.0 for all).`);
  return error;
}
