import { AsyncLocalStorage } from 'node:async_hooks';
import type { KeyObject } from 'node:crypto';

export interface ScopedRegistration {
  registrationId: string;
  /** The platform key osv already verified the current launch with (launches only). */
  publicKey?: KeyObject;
}

/**
 * The one registration ltijs works for during a call (a launch, a grade post, a roster sync).
 * ltijs looks platforms up by (issuer, client id), which two tenants may both have registered:
 * the ltijs store answers with this registration only, and keeps ltijs's cached LMS access tokens
 * under it, so no call can pick up another tenant's registration, keys or tokens. During a launch
 * it also carries the key osv verified the id_token with, so ltijs does not download the LMS's key
 * set again.
 */
export class RegistrationScope {
  private readonly storage = new AsyncLocalStorage<ScopedRegistration>();

  run<T>(scope: ScopedRegistration, work: () => Promise<T>): Promise<T> {
    return this.storage.run(scope, work);
  }

  current(): ScopedRegistration | undefined {
    return this.storage.getStore();
  }
}
