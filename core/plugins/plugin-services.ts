/**
 * Services plugins publish to each other by name (`<provider id>.<service>`). The provider declares
 * the interface by declaration merging, next to its implementation:
 * `declare module '…/core/plugin-api.js' { interface ServiceMap { 'payments.checkout': CheckoutService } }`.
 * A consumer never imports the provider's files; it asks core for the service per tenant and copes
 * with its absence (the provider is not installed or not enabled for that tenant).
 */
import type { Transaction } from '../db/database.js';

// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface ServiceMap {}

export type ServiceName = keyof ServiceMap & string;

interface Provided {
  pluginId: string;
  implementation: unknown;
}

export class ServiceRegistry {
  private readonly provided = new Map<string, Provided>();

  constructor(private readonly isPluginEnabled: (tenantId: string, pluginId: string, transaction?: Transaction) => Promise<boolean>) {}

  provide(pluginId: string, name: string, implementation: unknown): void {
    if (!name.startsWith(`${pluginId}.`)) throw new Error(`Plugin ${pluginId} may only provide services named ${pluginId}.<service>, not ${name}`);
    const current = this.provided.get(name);
    if (current && current.pluginId !== pluginId) throw new Error(`Service ${name} is already provided by ${current.pluginId}`);
    this.provided.set(name, { pluginId, implementation });
  }

  /** The implementation when its provider runs and the tenant enabled it; otherwise undefined. */
  async get(name: string, tenantId: string, transaction?: Transaction): Promise<unknown> {
    const entry = this.provided.get(name);
    if (!entry || !(await this.isPluginEnabled(tenantId, entry.pluginId, transaction))) return undefined;
    return entry.implementation;
  }

  removeOwnedBy(pluginId: string): void {
    for (const [name, entry] of this.provided) if (entry.pluginId === pluginId) this.provided.delete(name);
  }
}
