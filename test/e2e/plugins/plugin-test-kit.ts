import type supertest from 'supertest';
import { type Db, selectRows } from '../../../core/db/database.js';
import { definePlugin, type OsvPlugin, type PluginManifestInput } from '../../../core/plugin-api.js';

/** One row of GET /api/v1/admin/plugins. */
export interface ListedPlugin {
  id: string;
  name: string;
  source: string;
  state: 'discovered' | 'installed' | 'failed' | 'refused';
  version: string | null;
  installedVersion: string | null;
  error: string | null;
  capabilities: string[];
  enabled: boolean;
}

type Http = ReturnType<typeof supertest>;

/** Every plugin as the admin API reports it. */
export async function listPluginRows(http: Http, authorization: string): Promise<ListedPlugin[]> {
  const response = await http.get('/api/v1/admin/plugins').set('Authorization', authorization);
  if (response.status !== 200) throw new Error(`GET /api/v1/admin/plugins answered ${response.status}: ${response.text}`);
  return response.body as ListedPlugin[];
}

/** The same, by id (when two rows share an id, the last one listed wins). */
export async function listPlugins(http: Http, authorization: string): Promise<Map<string, ListedPlugin>> {
  return new Map((await listPluginRows(http, authorization)).map((plugin) => [plugin.id, plugin]));
}

export async function pluginStatus(http: Http, authorization: string, id: string): Promise<ListedPlugin> {
  const found = (await listPlugins(http, authorization)).get(id);
  if (!found) throw new Error(`GET /api/v1/admin/plugins does not list ${id}`);
  return found;
}

/** Tables of the current schema whose name starts with the prefix (no LIKE wildcards involved). */
export async function tablesStartingWith(db: Db, prefix: string): Promise<string[]> {
  // (`table_name AS name`: Sequelize turns rows of `SELECT table_name FROM information_schema.tables…` into arrays.)
  const rows = await selectRows<{ name: string }>(
    db,
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND starts_with(table_name, $1) ORDER BY table_name`,
    [prefix],
  );
  return rows.map((row) => row.name);
}

export async function tableExists(db: Db, table: string): Promise<boolean> {
  return (await tablesStartingWith(db, table)).includes(table);
}

/** The unit's rows of the one migration ledger, `<unit>/<name>`, in name order. */
export async function ledgerRows(db: Db, unit: string): Promise<string[]> {
  const rows = await selectRows<{ name: string }>(db, 'SELECT name FROM osv_migrations WHERE starts_with(name, $1) ORDER BY name', [
    `${unit}/`,
  ]);
  return rows.map((row) => row.name);
}

export async function countRows(db: Db, sql: string, bind: unknown[] = []): Promise<number> {
  const [row] = await selectRows<{ count: string }>(db, sql, bind);
  return Number(row?.count ?? 0);
}

/** A small valid plugin; tests override what they are about. */
export function testPlugin(
  manifest: Partial<PluginManifestInput> & { id: string },
  rest: Omit<Partial<OsvPlugin>, 'manifest'> = {},
): OsvPlugin {
  return definePlugin({
    manifest: { name: manifest.id, version: '1.0.0', coreRange: '>=0.1.0 <1.0.0', ...manifest },
    register: () => undefined,
    ...rest,
  });
}

/** A plugin whose manifest is whatever the test says, valid or not (for the strict-manifest tests). */
export function pluginWithRawManifest(manifest: Record<string, unknown>, rest: Omit<Partial<OsvPlugin>, 'manifest'> = {}): OsvPlugin {
  return { manifest: manifest as unknown as PluginManifestInput, register: () => undefined, ...rest };
}
