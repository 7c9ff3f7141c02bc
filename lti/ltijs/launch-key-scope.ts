import { AsyncLocalStorage } from 'node:async_hooks';
import type { KeyObject } from 'node:crypto';

interface LaunchKey {
  issuer: string;
  clientId: string;
  publicKey: KeyObject;
}

/**
 * The platform key osv already verified the current launch with, visible to the ltijs store while
 * ltijs validates that same launch: ltijs then checks the signature against that key instead of
 * downloading the LMS's key set again (it would on every launch).
 */
export class LaunchKeyScope {
  private readonly storage = new AsyncLocalStorage<LaunchKey>();

  run<T>(key: LaunchKey, work: () => Promise<T>): Promise<T> {
    return this.storage.run(key, work);
  }

  keyFor(issuer: string, clientId: string): KeyObject | undefined {
    const key = this.storage.getStore();
    return key && key.issuer === issuer && key.clientId === clientId ? key.publicKey : undefined;
  }
}
