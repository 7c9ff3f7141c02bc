import type { Db, Transaction } from '../db/database.js';
import { execute, selectOne } from '../db/database.js';
import { OsvError } from '../errors.js';
import { decryptText, encryptText } from '../secrets.js';
import { parseRequestPart } from '../http/validation.js';
import type { PluginManifest } from './manifest.js';

export interface PublicSettings {
  values: Record<string, unknown>;
  /** Which secret keys have a value; the values themselves never leave the server. */
  secrets: Record<string, boolean>;
}

/** Plugin settings per tenant: plain values in jsonb, secret values AES-GCM encrypted at rest. */
export class PluginSettingsStore {
  constructor(
    private readonly db: Db,
    private readonly encryptionKey: Buffer,
  ) {}

  /** Inside a transaction, pass it (see PluginRegistry.isEnabled). */
  async read(tenantId: string, pluginId: string, transaction?: Transaction): Promise<Record<string, unknown>> {
    const row = await this.row(tenantId, pluginId, transaction);
    const secrets = row?.secrets_encrypted ? JSON.parse(decryptText(this.encryptionKey, row.secrets_encrypted)) : {};
    return { ...(row?.settings ?? {}), ...secrets };
  }

  async readPublic(tenantId: string, manifest: PluginManifest): Promise<PublicSettings> {
    const row = await this.row(tenantId, manifest.id);
    const secretKeys = manifest.settings?.secretKeys ?? [];
    const stored = row?.secrets_encrypted ? (JSON.parse(decryptText(this.encryptionKey, row.secrets_encrypted)) as Record<string, unknown>) : {};
    return {
      values: row?.settings ?? {},
      secrets: Object.fromEntries(secretKeys.map((key) => [key, stored[key] !== undefined && stored[key] !== ''])),
    };
  }

  /** Validates the merged result against the plugin's schema before anything is written. */
  async write(tenantId: string, manifest: PluginManifest, changes: Record<string, unknown>): Promise<PublicSettings> {
    if (!manifest.settings) throw new OsvError('OSV_ERR_VALIDATION', `Plugin ${manifest.id} has no settings`);
    const merged = { ...(await this.read(tenantId, manifest.id)), ...changes };
    const valid = parseRequestPart(manifest.settings.schema, merged, 'body') as Record<string, unknown>;
    const secretKeys = new Set(manifest.settings.secretKeys);
    const plain = Object.fromEntries(Object.entries(valid).filter(([key]) => !secretKeys.has(key)));
    const secret = Object.fromEntries(Object.entries(valid).filter(([key]) => secretKeys.has(key)));
    await execute(
      this.db,
      `INSERT INTO tenant_plugins (tenant_id, plugin_id, settings, secrets_encrypted) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, plugin_id) DO UPDATE SET settings = EXCLUDED.settings,
         secrets_encrypted = EXCLUDED.secrets_encrypted, updated_at = now()`,
      [tenantId, manifest.id, JSON.stringify(plain), encryptText(this.encryptionKey, JSON.stringify(secret))],
    ).catch((error: { original?: { constraint?: string } }) => {
      // Settings hang off the plugins row, which exists only once the plugin is installed.
      if (error.original?.constraint === 'tenant_plugins_plugin_id_fkey') throw new OsvError('OSV_ERR_PLUGIN_STATE', `Plugin ${manifest.id} is not installed`);
      throw error;
    });
    return this.readPublic(tenantId, manifest);
  }

  private row(tenantId: string, pluginId: string, transaction?: Transaction) {
    return selectOne<{ settings: Record<string, unknown>; secrets_encrypted: string | null }>(
      this.db,
      'SELECT settings, secrets_encrypted FROM tenant_plugins WHERE tenant_id = $1 AND plugin_id = $2',
      [tenantId, pluginId],
      transaction,
    );
  }
}
