#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import type { Kernel } from '../kernel.js';
import { startKernel } from '../main.js';
import { adminCommands } from './admin-commands.js';
import { serve } from './serve.js';

const program = new Command('osv').description('Open Study Volt: run the service and administer it').showHelpAfterError();

/** Boots a kernel for one command and always shuts it down. */
export async function withKernel<T>(options: { runWorkers: boolean; autoInstall: boolean }, work: (kernel: Kernel) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const kernel = await startKernel({ config, log: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr as never), ...options });
  try {
    return await work(kernel);
  } finally {
    await kernel.shutdown();
  }
}

program
  .command('serve')
  .description('Serve HTTP; also run jobs unless --no-workers')
  .option('--no-workers', 'serve HTTP only (run `osv worker` elsewhere)')
  .action(async (options: { workers: boolean }) => {
    const config = loadConfig();
    await serve(await startKernel({ config, runWorkers: options.workers && config.OSV_RUN_WORKERS }));
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

program.parseAsync().catch((error: Error | undefined) => {
  const known = error instanceof ConfigError || error?.name === 'OsvError';
  const message = known ? error!.message : (error?.stack ?? String(error ?? 'start-up failed (see the log above)'));
  console.error(`osv: ${message}`);
  process.exit(1);
});
