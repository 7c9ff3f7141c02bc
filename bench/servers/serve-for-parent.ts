import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadyMessage } from '../support/child-server.js';
import { handleShutdownSignals } from '../support/signals.js';

/** Listens on a free port, tells the parent, and shuts down when told to (or when the parent goes away). */
export async function serveForParent(app: RequestListener, headers: Record<string, string>, onStop: () => Promise<void> = async () => {}) {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ready: ReadyMessage = { type: 'ready', port: (server.address() as AddressInfo).port, headers };
  process.send?.(ready);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    await onStop();
    process.exit(0);
  };
  handleShutdownSignals(() => void stop());
  process.once('disconnect', () => void stop());
}
