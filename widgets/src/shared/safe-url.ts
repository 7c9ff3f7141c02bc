/**
 * Addresses that come from a response are opened only when they are web addresses: never
 * `javascript:` or `data:`.
 */
export function webUrl(value: string | undefined, protocols: string[] = ['https:', 'http:']): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
