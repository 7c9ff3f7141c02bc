import { KeyObject, type webcrypto } from 'node:crypto';
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import type { LmsEgress } from '../egress/lms-egress.js';

/**
 * Each LMS's published keys, fetched once and kept: a launch costs no key fetch. An unknown `kid`
 * triggers one refetch (the LMS rotated), at most once per cooldown, so forged kids cannot make
 * osv hammer the LMS.
 */
export class PlatformKeySets {
  private readonly sets = new Map<string, JWTVerifyGetKey>();
  private readonly keyObjects = new WeakMap<object, KeyObject>();

  constructor(
    private readonly egress: LmsEgress,
    private readonly options: { cooldownMs: number; maxAgeMs: number; timeoutMs: number },
  ) {}

  keySet(jwksUri: string): JWTVerifyGetKey {
    let set = this.sets.get(jwksUri);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUri), {
        cooldownDuration: this.options.cooldownMs,
        cacheMaxAge: this.options.maxAgeMs,
        timeoutDuration: this.options.timeoutMs,
        // Some LMSs (Canvas) refuse API calls without a User-Agent.
        headers: { 'User-Agent': 'osv-lti/1' },
        // https at public addresses only, checked by the address connected to.
        [customFetch]: this.egress.fetch,
      });
      this.sets.set(jwksUri, set);
    }
    return set;
  }

  /** A key the verifier used, as the Node KeyObject the LTI engine takes (converted once per key). */
  keyObject(key: webcrypto.CryptoKey | KeyObject | Uint8Array): KeyObject {
    if (key instanceof KeyObject) return key;
    if (key instanceof Uint8Array) throw new Error('platform keys are asymmetric');
    let converted = this.keyObjects.get(key);
    if (!converted) {
      converted = KeyObject.from(key);
      this.keyObjects.set(key, converted);
    }
    return converted;
  }
}
