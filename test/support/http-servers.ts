import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  origin: string;
  close(): Promise<void>;
}

/** Serves a request listener (an Express app…) on a free port of `host`. */
export async function listen(handler: RequestListener, host = '127.0.0.1'): Promise<Listening> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface HostSite extends Listening {
  /** Publishes an HTML page at `path` and returns its URL. */
  page(path: string, html: string): string;
}

/**
 * A third-party website on its own origin (127.0.0.2 by default: another host than the osv
 * server's 127.0.0.1), serving the pages a test gives it.
 */
export async function startHostSite(host = '127.0.0.2'): Promise<HostSite> {
  const pages = new Map<string, string>();
  const listening = await listen((req, res) => {
    const html = pages.get((req.url ?? '/').split('?')[0]!);
    res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  }, host);
  return {
    ...listening,
    page(path, html) {
      pages.set(path, html);
      return `${listening.origin}${path}`;
    },
  };
}
