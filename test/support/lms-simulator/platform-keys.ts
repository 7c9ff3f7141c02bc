import { randomBytes } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';

export interface PlatformKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
  publicPem: string;
}

/** The simulated LMS's own RSA keys: it signs id_tokens with the newest and publishes a JWKS. */
export class PlatformKeys {
  private keys: PlatformKey[] = [];

  static async create(): Promise<PlatformKeys> {
    const keys = new PlatformKeys();
    await keys.rotate();
    return keys;
  }

  current(): PlatformKey {
    return this.keys[this.keys.length - 1]!;
  }

  /** A new signing key; the old ones stay published unless `dropOld`. */
  async rotate(options: { dropOld?: boolean } = {}): Promise<PlatformKey> {
    const key = await mintKey();
    this.keys = options.dropOld ? [key] : [...this.keys, key];
    return key;
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((key) => key.publicJwk) };
  }
}

/** A key the LMS never published (for forged signatures). */
export async function mintKey(): Promise<PlatformKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `sim-${randomBytes(4).toString('hex')}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }, publicPem: await exportSPKI(publicKey) };
}
