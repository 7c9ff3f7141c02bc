import type { PluginRegistry } from '../../core/plugins/plugin-registry.js';
import { TtlCache } from '../../core/ttl-cache.js';

/** One piece of content a plugin offers to LMS courses (its manifest's `lti.contentItems`). */
export interface CatalogueItem {
  /** `<plugin id>:<item id>`: what a deep link stores and later launches carry back. */
  key: string;
  pluginId: string;
  itemId: string;
  title: string;
  description?: string;
  /** The widget that shows it (`osv-…`). */
  widget?: string;
  /** Graded: the gradebook column deep linking asks the LMS to create. */
  gradable?: { scoreMaximum: number; label?: string };
}

/** What a tenant's installed and enabled plugins offer to LMS courses. */
export class ContentCatalogue {
  private readonly byTenant = new TtlCache<string, CatalogueItem[]>(5_000);

  constructor(private readonly plugins: PluginRegistry) {}

  forTenant(tenantId: string): Promise<CatalogueItem[]> {
    return this.byTenant.get(tenantId, async () => {
      const items: CatalogueItem[] = [];
      for (const plugin of await this.plugins.list()) {
        if (plugin.state !== 'installed' || !(await this.plugins.isEnabled(tenantId, plugin.id))) continue;
        for (const item of this.plugins.manifest(plugin.id).lti?.contentItems ?? []) {
          items.push({
            key: `${plugin.id}:${item.id}`,
            pluginId: plugin.id,
            itemId: item.id,
            title: item.title,
            description: item.description,
            widget: item.widget,
            ...(item.gradable ? { gradable: item.gradable } : {}),
          });
        }
      }
      return items;
    });
  }

  async find(tenantId: string, key: string): Promise<CatalogueItem | undefined> {
    return (await this.forTenant(tenantId)).find((item) => item.key === key);
  }
}
