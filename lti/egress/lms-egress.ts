import { AsyncLocalStorage } from 'node:async_hooks';
import dns, { type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction, type Socket } from 'node:net';
import { OsvError } from '../../core/errors.js';

/** What osv may connect to when it calls an LMS. */
export interface EgressPolicy {
  /**
   * Loopback LMSs (http or https on 127.0.0.0/8, ::1): development and the test suites only
   * (`OSV_LTI_ALLOW_LOOPBACK_HTTP`). Private, link-local and reserved addresses are never allowed.
   */
  allowLoopback: boolean;
}

const STRICT: EgressPolicy = { allowLoopback: false };

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Everything that is not a public unicast address (IPv4-mapped IPv6 addresses match their IPv4 rules). */
const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

/** Why osv will not connect to this IP address under this policy; undefined when it may. */
export function addressRefusal(address: string, policy: EgressPolicy): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(address, type)) return policy.allowLoopback ? undefined : `${address} is a loopback address`;
  if (nonPublic.check(address, type)) return `${address} is a private, link-local or reserved address`;
  return undefined;
}

export function addressRefused(reason: string): OsvError {
  return new OsvError('OSV_ERR_LTI_ADDRESS_REFUSED', `osv does not connect there: ${reason}`);
}

const policies = new AsyncLocalStorage<EgressPolicy>();
const currentPolicy = () => policies.getStore() ?? STRICT;

/** dns.lookup, refusing every answer set that holds an address the policy does not allow. */
function guardedLookup(policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const refused = addresses.map((entry) => addressRefusal(entry.address, policy)).find(Boolean);
      if (refused) return callback(addressRefused(`${hostname} resolves to ${refused}`), '', 4);
      if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), '', 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

type CreateConnection = (options: Record<string, unknown>, callback: (error: Error | null, socket?: Socket) => void) => Socket | undefined;

/**
 * Every connection is checked against the address actually connected to: IP literals before
 * connecting, host names as they resolve (so a name that resolves to an internal address at
 * connection time — DNS rebinding — is refused too). The policy is the caller's (`run`), strict
 * when there is none.
 */
function guard<A extends http.Agent>(agent: A): A {
  const create = (agent as unknown as { createConnection: CreateConnection }).createConnection.bind(agent);
  (agent as unknown as { createConnection: CreateConnection }).createConnection = (options, callback) => {
    const policy = currentPolicy();
    const host = String(options.host ?? options.hostname ?? '').replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const refused = addressRefusal(host, policy);
      if (refused) {
        callback(addressRefused(refused));
        return undefined;
      }
    }
    return create({ ...options, lookup: guardedLookup(policy) }, callback);
  };
  return agent;
}

/** The agents every server-side call to an LMS goes through (osv's own fetches and ltijs's). */
export const guardedAgents = {
  http: guard(new http.Agent({ keepAlive: false })),
  https: guard(new https.Agent({ keepAlive: false })),
};

export interface EgressResponse {
  status: number;
  text: string;
}

/**
 * Server-side calls to LMSs under one policy: URLs checked before use (https; http only to
 * loopback when allowed), connections checked by address.
 */
export class LmsEgress {
  constructor(readonly policy: EgressPolicy) {}

  /** Runs work (ltijs's calls) with this policy applied to the connections it opens. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return policies.run(this.policy, work);
  }

  /**
   * The URL if osv may call it: https (plain http only to a loopback host, when allowed), no
   * credentials, not an IP literal the policy refuses. Host names are checked as they resolve.
   */
  checkUrl(value: string, what = 'The LMS URL'): URL {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new OsvError('OSV_ERR_LTI_ADDRESS_REFUSED', `${what} is not a URL`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const loopbackHost = host === 'localhost' || (isIP(host) !== 0 && loopback.check(host, isIP(host) === 4 ? 'ipv4' : 'ipv6'));
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHost && this.policy.allowLoopback)) {
      throw new OsvError('OSV_ERR_LTI_ADDRESS_REFUSED', `${what} must use https (${url.protocol.replace(':', '')} is not allowed)`);
    }
    if (url.username || url.password) throw new OsvError('OSV_ERR_LTI_ADDRESS_REFUSED', `${what} must not carry credentials`);
    if (host === 'localhost' && !this.policy.allowLoopback) throw addressRefused(`${what}: localhost is a loopback address`);
    if (isIP(host)) {
      const refused = addressRefusal(host, this.policy);
      if (refused) throw addressRefused(`${what}: ${refused}`);
    }
    return url;
  }

  /** One request, no redirects, the body read up to `maxBytes`. */
  request(url: URL, init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number; maxBytes?: number }): Promise<EgressResponse> {
    const maxBytes = init.maxBytes ?? 1024 * 1024;
    return this.run(
      () =>
        new Promise<EgressResponse>((resolve, reject) => {
          const secure = url.protocol === 'https:';
          const request = (secure ? https : http).request(
            url,
            {
              method: init.method ?? 'GET',
              headers: { 'User-Agent': 'osv-lti/1', ...init.headers },
              agent: secure ? guardedAgents.https : guardedAgents.http,
              timeout: init.timeoutMs,
            },
            (response) => {
              const chunks: Buffer[] = [];
              let size = 0;
              response.on('data', (chunk: Buffer) => {
                size += chunk.length;
                if (size > maxBytes) {
                  request.destroy(new Error(`the answer is larger than ${maxBytes} bytes`));
                  return;
                }
                chunks.push(chunk);
              });
              response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
              response.on('error', reject);
            },
          );
          request.on('timeout', () => request.destroy(new Error('the LMS did not answer in time')));
          request.on('error', reject);
          request.end(init.body);
        }),
    );
  }

  /** A `fetch` for jose's remote key sets, through the guarded agents. */
  readonly fetch = async (input: string | URL, init?: { headers?: ConstructorParameters<typeof Headers>[0]; signal?: AbortSignal }): Promise<Response> => {
    const url = this.checkUrl(String(input), 'The LMS key set URL');
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const answer = await this.request(url, { headers, timeoutMs: 20_000 });
    return new Response(answer.text, { status: answer.status, headers: { 'Content-Type': 'application/json' } });
  };
}
