import { firstPartyPlugins } from '../plugins/index.js';
import { loadConfig } from './config.js';
import { createApp } from './http/app.js';
import { Kernel, type KernelOptions } from './kernel.js';

/**
 * The composition root: the one place where core, the first-party plugins (and later lti/ and
 * widgets/) are wired together.
 */
export function startKernel(options: Partial<KernelOptions> = {}): Promise<Kernel> {
  return Kernel.start({ config: options.config ?? loadConfig(), plugins: firstPartyPlugins, ...options });
}

export { createApp };
