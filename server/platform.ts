import type { Express } from 'express';
import { createLtiModule, type LtiModule } from '../lti/lti-module.js';
import type { LtiOptions } from '../lti/lti-options.js';
import { firstPartyPlugins } from '../plugins/index.js';
import { loadConfig } from '../core/config.js';
import { createApp } from '../core/http/app.js';
import { Kernel, type KernelOptions } from '../core/kernel.js';

/** A kernel with every module composed, and the app that serves it. */
export interface Platform {
  kernel: Kernel;
  lti: LtiModule;
  createApp(): Express;
}

export interface CompositionOptions {
  lti?: Partial<LtiOptions>;
}

/**
 * The composition root: the one place where core, the first-party plugins, the LTI tool (lti/)
 * and the widgets are wired together. Production, the CLI and the test harness all start here.
 */
export async function startPlatform(options: Partial<KernelOptions> = {}, composition: CompositionOptions = {}): Promise<Platform> {
  const lti = createLtiModule(composition.lti);
  const kernel = await Kernel.start({
    config: options.config ?? loadConfig(),
    plugins: firstPartyPlugins,
    moduleMigrations: [lti.migrations],
    modules: [lti],
    pluginServices: { lti: lti.pluginService },
    ...options,
  });
  return { kernel, lti, createApp: () => createApp(kernel, lti.appExtensions()) };
}

export async function startKernel(options: Partial<KernelOptions> = {}): Promise<Kernel> {
  return (await startPlatform(options)).kernel;
}
