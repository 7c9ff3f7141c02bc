#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import type { Kernel } from '../kernel.js';
import { moduleCommands, type Platform, startKernel, startPlatform } from '../main.js';
import { adminCommands } from './admin-commands.js';
import { modelCommands } from './model-commands.js';
import { serve } from './serve.js';

const program = new Command('osv').description('Open Study Volt: run the service and administer it').showHelpAfterError();

/** Boots the composed platform for one command and always shuts it down. */
export async function withPlatform<T>(options: { runWorkers: boolean; autoInstall: boolean }, work: (platform: Platform) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const platform = await startPlatform({ config, log: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr as never), ...options });
  try {
    return await work(platform);
  } finally {
    await platform.kernel.shutdown();
  }
}

export function withKernel<T>(options: { runWorkers: boolean; autoInstall: boolean }, work: (kernel: Kernel) => Promise<T>): Promise<T> {
  return withPlatform(options, (platform) => work(platform.kernel));
}

program
  .command('serve')
  .description('Serve HTTP; also run jobs unless --no-workers')
  .option('--no-workers', 'serve HTTP only (run `osv worker` elsewhere)')
  .action(async (options: { workers: boolean }) => {
    const config = loadConfig();
    await serve(await startPlatform({ config, runWorkers: options.workers && config.OSV_RUN_WORKERS }));
  });

program
  .command('worker')
  .description('Run queue workers only (needs REDIS_URL to scale out)')
  .action(async () => {
    const kernel = await startKernel({ runWorkers: true });
    kernel.log.info('worker running');
    const stop = async () => {
      await kernel.shutdown();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop());
    process.once('SIGINT', () => void stop());
  });

program
  .command('migrate')
  .description('Apply core migrations, install first-party plugins and upgrade installed ones')
  .action(() => withKernel({ runWorkers: false, autoInstall: true }, async (kernel) => {
    const plugins = await kernel.plugins.list();
    for (const plugin of plugins) console.log(`${plugin.id.padEnd(20)} ${plugin.state.padEnd(10)} ${plugin.installedVersion ?? plugin.version ?? ''}`);
  }));

adminCommands(program, withKernel);
moduleCommands(program, withPlatform);
modelCommands(program);

program.parseAsync().catch((error: Error | undefined) => {
  const known = error instanceof ConfigError || error?.name === 'OsvError';
  const message = known ? error!.message : (error?.stack ?? String(error ?? 'start-up failed (see the log above)'));
  console.error(`osv: ${message}`);
  process.exit(1);
});
