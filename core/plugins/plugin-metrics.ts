import { Counter, type Registry } from 'prom-client';
import { pluginTablePrefix } from './manifest.js';

/** A Prometheus counter a plugin owns; it appears on `/metrics` as `osv_<id>_<name>`. */
export interface PluginCounter {
  inc(labels?: Record<string, string>, value?: number): void;
}

export interface PluginMetrics {
  /** Declares a counter; call it in register(). */
  counter(name: string, help: string, labelNames?: string[]): PluginCounter;
}

export function pluginMetrics(registry: Registry, pluginId: string): PluginMetrics {
  return {
    counter(name, help, labelNames = []) {
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`Metric name ${name} must be lowercase letters, digits and underscores`);
      const counter = new Counter({ name: `osv_${pluginTablePrefix(pluginId)}${name}`, help, labelNames, registers: [registry] });
      return { inc: (labels = {}, value = 1) => counter.inc(labels, value) };
    },
  };
}
