import type { ChildServer } from './child-server.js';

const SETTLE_TIMEOUT_MS = 3000;

function requestLogStatuses(output: string[]): number[] {
  const statuses: number[] = [];
  for (const line of output) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; res?: { statusCode?: number } };
    if (entry.msg === 'request completed') statuses.push(entry.res?.statusCode ?? 0);
  }
  return statuses;
}

/**
 * Proves the measured 2xx requests were not logged: one 404 afterwards must show up in the log
 * (so the log is live) and be the only request line in it.
 */
export async function assertOnlyErrorRequestsLogged(server: ChildServer): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/bench-no-such-route`, { headers: server.headers });
  if (response.status !== 404) throw new Error(`expected a 404 from the probe request, got ${response.status}`);
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (!requestLogStatuses(server.output).includes(404)) {
    if (Date.now() > deadline) throw new Error('the 404 probe request never reached the log');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const statuses = requestLogStatuses(server.output);
  if (statuses.length !== 1) throw new Error(`expected only the 404 probe in the request log, found ${statuses.length} request lines`);
}
