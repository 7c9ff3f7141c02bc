import { parseManifest, type PluginManifest } from './manifest.js';
import type { OsvPlugin } from './plugin-types.js';

export interface PluginCandidate {
  /** `first-party` or `npm:<package>`. */
  source: string;
  plugin?: OsvPlugin;
  manifest?: PluginManifest;
  /** Why the plugin was refused; set means it will not run. */
  refusal?: string;
}

/** Validates a plugin module's shape and manifest; never throws. */
export function inspectPlugin(source: string, value: unknown): PluginCandidate {
  const plugin = (value as { default?: unknown })?.default ?? value;
  if (!plugin || typeof plugin !== 'object' || typeof (plugin as OsvPlugin).register !== 'function') {
    return { source, refusal: 'does not export a plugin (an object with a manifest and a register function)' };
  }
  const parsed = parseManifest((plugin as OsvPlugin).manifest);
  if ('error' in parsed) return { source, plugin: plugin as OsvPlugin, refusal: `invalid manifest: ${parsed.error}` };
  return { source, plugin: plugin as OsvPlugin, manifest: parsed.manifest };
}

/** Third-party plugins are npm packages named in OSV_PLUGINS; a package that fails to import is refused. */
export async function loadNpmPlugin(packageName: string): Promise<PluginCandidate> {
  const source = `npm:${packageName}`;
  try {
    return inspectPlugin(source, await import(packageName));
  } catch (error) {
    return { source, refusal: `could not be imported: ${(error as Error).message}` };
  }
}
