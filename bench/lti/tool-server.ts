import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadyMessage } from '../support/child-server.js';
import { handleShutdownSignals } from '../support/signals.js';

/** The platform the benchmark's simulated LMS plays, as the parent hands it to a tool process. */
export interface BenchPlatform {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  clientId: string;
  deploymentId: string;
}

export function platformFromEnv(env: NodeJS.ProcessEnv): BenchPlatform {
  const read = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  return {
    issuer: read('BENCH_LMS_ISSUER'),
    authorizationEndpoint: `${read('BENCH_LMS_URL')}/auth`,
    tokenEndpoint: `${read('BENCH_LMS_URL')}/token`,
    jwksUri: `${read('BENCH_LMS_URL')}/jwks`,
    clientId: read('BENCH_CLIENT_ID'),
    deploymentId: read('BENCH_DEPLOYMENT_ID'),
  };
}

/**
 * An LTI tool must know its own address before it starts (LMSs are told it): listen first on
 * 127.0.0.1, then build the tool for that URL, then tell the parent.
 */
export async function serveToolForParent(build: (baseUrl: string) => Promise<{ app: RequestListener; stop(): Promise<void> }>): Promise<void> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const tool = await build(`http://127.0.0.1:${port}`);
  server.on('request', tool.app);
  const ready: ReadyMessage = { type: 'ready', port, headers: {} };
  process.send?.(ready);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    await tool.stop();
    process.exit(0);
  };
  handleShutdownSignals(() => void stop());
  process.once('disconnect', () => void stop());
}
