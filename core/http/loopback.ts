import { isIP } from 'node:net';
import type { Request } from 'express';
import type { Config } from '../config.js';

/**
 * Whether the client is on this machine. `req.ip` honours OSV_TRUST_PROXY, so behind a trusted
 * proxy it is the client's address, not the proxy's.
 */
export function fromLoopback(req: Request): boolean {
  const address = req.ip ?? '';
  if (isIP(address) === 0) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A developer on their own machine: loopback, outside production. */
export function isLocalDevelopment(config: Pick<Config, 'NODE_ENV'>, req: Request): boolean {
  return config.NODE_ENV !== 'production' && fromLoopback(req);
}
