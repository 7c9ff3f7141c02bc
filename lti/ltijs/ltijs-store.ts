import type { KeyObject } from 'node:crypto';
import type { LtijsDatabase, LtijsItem } from 'ltijs';
import type { ToolKeyStore } from '../keys/tool-keys.js';
import type { PlatformResolver } from '../registry/platform-resolver.js';
import type { Registration } from '../registry/registrations.js';
import type { RegistrationScope } from './registration-scope.js';

/** Collections ltijs keeps only to resume its own (ltik) sessions, which osv never uses. */
const SESSION_COPIES = new Set(['idtoken', 'contexttoken']);
/** Collections osv owns: ltijs reads them from osv's tables and may not write them. */
const OSV_OWNED = new Set(['platform', 'platformStatus', 'publickey', 'privatekey']);
/** ltijs's cache of LMS access tokens, which it keys by (issuer, client id): osv keys it by registration. */
const ACCESS_TOKENS = 'accesstoken';

/**
 * The database ltijs talks to (its documented plugin seam). Platforms come from osv's
 * lti_registrations and signing keys from osv's rotating tool keys, so there is one source of
 * truth; what is ltijs's alone (nonces, cached LMS access tokens) stays in ltijs-sequelize, on the
 * same PostgreSQL. Two tenants may register the same (issuer, client id), so ltijs only ever sees
 * the registration of the call it is making (`RegistrationScope`), and its access tokens are
 * cached per registration.
 */
export class OsvLtijsStore implements LtijsDatabase {
  constructor(
    private readonly sessions: LtijsDatabase,
    private readonly deps: { resolver: PlatformResolver; toolKeys: ToolKeyStore; scope: RegistrationScope },
  ) {}

  setup(): Promise<boolean> {
    return this.sessions.setup();
  }

  Close(): Promise<boolean> {
    return this.sessions.Close();
  }

  async Get(encryptionKey: string | false, table: string, info: LtijsItem = {}): Promise<LtijsItem[] | false> {
    switch (table) {
      case 'platform':
        return this.platform(info);
      case 'platformStatus':
        // Disabled registrations are invisible to ltijs (no platform row), so what it finds is active.
        return [{ id: info.id, active: true }];
      case 'privatekey':
        return this.privateKey(info);
      case 'publickey':
        // osv publishes its keys itself (/lti/tenants/<slug>/jwks.json); ltijs's keyset route is not mounted.
        return false;
      case 'state':
        // osv runs the OIDC login itself (it records the nonce); ltijs never stored a state.
        return false;
      default:
        if (SESSION_COPIES.has(table)) return false;
        return this.sessionGet(encryptionKey, table, this.perRegistration(table, info));
    }
  }

  Insert(encryptionKey: string | false, table: string, item: LtijsItem, index?: LtijsItem): Promise<boolean> {
    if (SESSION_COPIES.has(table)) return Promise.resolve(true);
    this.refuseOwned(table);
    return this.sessions.Insert(encryptionKey, table, item, index && this.perRegistration(table, index));
  }

  Replace(encryptionKey: string | false, table: string, info: LtijsItem, item: LtijsItem, index?: LtijsItem): Promise<boolean> {
    if (SESSION_COPIES.has(table)) return Promise.resolve(true);
    this.refuseOwned(table);
    return this.sessions.Replace(encryptionKey, table, this.perRegistration(table, info), item, index && this.perRegistration(table, index));
  }

  Modify(encryptionKey: string | false, table: string, info: LtijsItem, modification: LtijsItem): Promise<boolean> {
    if (SESSION_COPIES.has(table)) return Promise.resolve(true);
    this.refuseOwned(table);
    return this.sessions.Modify(encryptionKey, table, this.perRegistration(table, info), modification);
  }

  Delete(table: string, info: LtijsItem): Promise<boolean> {
    if (SESSION_COPIES.has(table) || table === 'state') return Promise.resolve(true);
    this.refuseOwned(table);
    return this.sessions.Delete(table, this.perRegistration(table, info));
  }

  /** The registration of the current call, if it is the platform ltijs asks for; nothing else. */
  private async platform(info: LtijsItem): Promise<LtijsItem[] | false> {
    const scoped = this.deps.scope.current();
    if (!scoped || typeof info.platformUrl !== 'string') return false;
    const registration = await this.deps.resolver.registrationById(scoped.registrationId);
    if (registration?.status !== 'active' || info.platformUrl !== registration.issuer) return false;
    if (info.clientId !== undefined && info.clientId !== registration.client_id) return false;
    return [await this.platformRow(registration, scoped.publicKey)];
  }

  private async platformRow(registration: Registration, verifiedKey: KeyObject | undefined): Promise<LtijsItem> {
    return {
      platformName: registration.name,
      platformUrl: registration.issuer,
      clientId: registration.client_id,
      authEndpoint: registration.authorization_endpoint,
      accesstokenEndpoint: registration.token_endpoint,
      authorizationServer: registration.authorization_server ?? undefined,
      // ltijs signs client assertions and deep-linking responses with the platform's "kid":
      // the tenant's active tool key.
      kid: await this.deps.toolKeys.activeKid(registration.tenant_id),
      authConfig: verifiedKey ? { method: 'RSA_KEY', key: verifiedKey } : { method: 'JWK_SET', key: registration.jwks_uri },
    };
  }

  /** Access tokens are filed under the registration of the call, not under the (shared) issuer. */
  private perRegistration(table: string, info: LtijsItem): LtijsItem {
    if (table !== ACCESS_TOKENS) return info;
    const scoped = this.deps.scope.current();
    if (!scoped) throw new Error('ltijs asked for an LMS access token outside a registration scope');
    return { ...info, platformUrl: `registration:${scoped.registrationId}` };
  }

  private async privateKey(info: LtijsItem): Promise<LtijsItem[] | false> {
    if (typeof info.kid !== 'string') return false;
    const { pem } = await this.deps.toolKeys.privateKeyPem(info.kid);
    return [{ kid: info.kid, key: pem }];
  }

  /** A cached LMS token sealed under an older key cannot be read: drop it and let ltijs fetch a new one. */
  private async sessionGet(encryptionKey: string | false, table: string, info: LtijsItem): Promise<LtijsItem[] | false> {
    try {
      return await this.sessions.Get(encryptionKey, table, info);
    } catch (error) {
      if (table !== 'accesstoken' || !/bad decrypt|unable to decrypt/i.test((error as Error).message)) throw error;
      await this.sessions.Delete(table, info);
      return false;
    }
  }

  private refuseOwned(table: string): void {
    if (OSV_OWNED.has(table)) throw new Error(`ltijs may not write ${table}: osv keeps registrations and keys in its own tables`);
  }
}
