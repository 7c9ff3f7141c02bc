import type { Kernel } from '../../../core/kernel.js';
import { createTenant } from '../harness.js';
import type { RawClient } from './raw-client.js';

/** A kind of caller, as the headers it sends. */
export interface FuzzCredential {
  kind: 'publishable key' | 'member token' | 'secret key' | 'owner session' | 'anonymous';
  headers: Record<string, string>;
  /** What `/api/v1/me` says the caller holds (nothing for an anonymous caller). */
  capabilities: Set<string>;
}

export const SITE_ORIGIN = 'https://site.example';

/**
 * One tenant with every plugin enabled and a caller of each kind: a site visitor with a publishable
 * key, a member with an access token, a server with a secret key, the platform owner's session.
 */
export async function fuzzCredentials(kernel: Kernel, client: RawClient): Promise<FuzzCredential[]> {
  const tenancy = await createTenant(kernel, 'fuzz', { owner: true });
  for (const plugin of await kernel.plugins.list()) {
    if (plugin.state !== 'refused') await kernel.plugins.setEnabled(tenancy.tenantId, plugin.id, true);
  }
  const secretKey = await kernel.credentials.createApiKey(tenancy.tenantId, { name: 'fuzz server', role: 'admin' });
  const publishable = await kernel.publishableKeys.create(tenancy.tenantId, { name: 'fuzz site', allowedOrigins: [SITE_ORIGIN], allowedWidgets: [] });
  const exchanged = await client.send({
    method: 'POST',
    path: '/api/v1/auth/embed-token',
    headers: { authorization: `Bearer ${secretKey.secret}`, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ userId: 'fuzz-member', name: 'Fuzz Member' })),
  });
  if (exchanged.status !== 200) throw new Error(`embed token exchange answered ${exchanged.status}: ${exchanged.text}`);
  const memberToken = (JSON.parse(exchanged.text) as { token: string }).token;

  const kinds: Array<Omit<FuzzCredential, 'capabilities'>> = [
    { kind: 'publishable key', headers: { 'osv-key': publishable.key, origin: SITE_ORIGIN } },
    { kind: 'member token', headers: { authorization: `Bearer ${memberToken}` } },
    { kind: 'secret key', headers: { authorization: `Bearer ${secretKey.secret}` } },
    { kind: 'owner session', headers: { authorization: tenancy.admin } },
    { kind: 'anonymous', headers: {} },
  ];
  return Promise.all(
    kinds.map(async (credential) => {
      if (credential.kind === 'anonymous') return { ...credential, capabilities: new Set<string>() };
      const me = await client.send({ method: 'GET', path: '/api/v1/me', headers: credential.headers });
      if (me.status !== 200) throw new Error(`${credential.kind}: /api/v1/me answered ${me.status}: ${me.text}`);
      return { ...credential, capabilities: new Set((JSON.parse(me.text) as { capabilities: string[] }).capabilities) };
    }),
  );
}

/** Whether the caller gets past the route's access check (and so on to its validation and handler). */
export function mayCall(credential: FuzzCredential, access: string): boolean {
  if (access === 'public') return true;
  if (credential.kind === 'anonymous') return false;
  return access === 'authenticated' || credential.capabilities.has(access);
}
