import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

/** Warms the server up, then measures; any non-2xx response or socket error fails the measurement. */
export async function measureRequestsPerSecond(url: string, headers: Record<string, string>, settings: LoadSettings): Promise<number> {
  await fire(url, headers, settings.connections, settings.warmupSeconds);
  const result = await fire(url, headers, settings.connections, settings.durationSeconds);
  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result.requests.average;
}

function fire(url: string, headers: Record<string, string>, connections: number, duration: number) {
  return autocannon({ url, headers, connections, duration });
}
