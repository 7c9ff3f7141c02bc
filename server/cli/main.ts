#!/usr/bin/env node
import { Command } from 'commander';
import { adminCommands } from '../../core/cli/admin-commands.js';
import { type CommandContext, withCommandContext } from '../../core/cli/command-context.js';
import { modelCommands } from '../../core/cli/model-commands.js';
import { type Config, ConfigError, loadConfig } from '../../core/config.js';
import { attachEmbeddedPostgres } from '../../core/db/embedded-postgres.js';
import type { Kernel } from '../../core/kernel.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { StartupError } from '../../core/startup-error.js';
import { ltiCommandServices } from '../../lti/cli/command-services.js';
import { ltiCommands } from '../../lti/cli/lti-commands.js';
import { ltiMigrations } from '../../lti/migrations/index.js';

/*
 * Admin commands open only what they use: a database connection (beside a running server, the
 * PostgreSQL it runs) and the services they call. The HTTP app, ltijs, queues and plugins are
 * loaded only by the commands that need them, hence the dynamic imports.
 */

const program = new Command('osv').description('Open Study Volt: run the service and administer it').showHelpAfterError();

const commandLog = (): Logger => createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr as never);

function withContext<T>(schema: Parameters<typeof withCommandContext>[2], work: (context: CommandContext) => Promise<T>): Promise<T> {
  return withCommandContext(loadConfig(), commandLog(), schema, work);
}

/** The platform's database for a command that boots a kernel: the running server's embedded one when there is one. */
async function withDatabaseConfig<T>(log: Logger, work: (config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (config.DATABASE_URL) return work(config);
  const embedded = await attachEmbeddedPostgres(config.OSV_DATA_DIR, config.OSV_EMBEDDED_PG_PORT, log);
  try {
    return await work({ ...config, DATABASE_URL: embedded.url });
  } finally {
    await embedded.stop();
  }
}

/** Plugin commands: the kernel with the plugins loaded, but no LTI module, HTTP or workers. */
function withPlugins<T>(work: (kernel: Kernel) => Promise<T>): Promise<T> {
  const log = commandLog();
  return withDatabaseConfig(log, async (config) => {
    const [{ Kernel }, { firstPartyPlugins }] = await Promise.all([import('../../core/kernel.js'), import('../../plugins/index.js')]);
    const kernel = await Kernel.start({ config, log, plugins: firstPartyPlugins, runWorkers: false, autoInstall: false });
    try {
      return await work(kernel);
    } finally {
      await kernel.shutdown();
    }
  });
}

program
  .command('serve')
  .description('Serve HTTP; also run jobs unless --no-workers')
  .option('--no-workers', 'serve HTTP only (run `osv worker` elsewhere)')
  .action(async (options: { workers: boolean }) => {
    const config = loadConfig();
    const [{ startPlatform }, { serve }] = await Promise.all([import('../platform.js'), import('./serve.js')]);
    await serve(await startPlatform({ config, runWorkers: options.workers && config.OSV_RUN_WORKERS }));
  });

program
  .command('worker')
  .description('Run queue workers only (needs REDIS_URL to scale out)')
  .action(async () => {
    const { startKernel } = await import('../platform.js');
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
  .action(() => {
    const log = commandLog();
    return withDatabaseConfig(log, async (config) => {
      const { startPlatform } = await import('../platform.js');
      const { kernel } = await startPlatform({ config, log, runWorkers: false, autoInstall: true });
      try {
        for (const plugin of await kernel.plugins.list()) {
          console.log(`${plugin.id.padEnd(20)} ${plugin.state.padEnd(10)} ${plugin.installedVersion ?? plugin.version ?? ''}`);
        }
      } finally {
        await kernel.shutdown();
      }
    });
  });

adminCommands(program, { withContext: (work) => withContext([], work), withPlugins });
modelCommands(program);
ltiCommands(program, (work) => withContext([ltiMigrations], async (context) => work(ltiCommandServices(context))));

program.parseAsync().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof StartupError || (error as Error | undefined)?.name === 'OsvError';
  const message = known ? (error as Error).message : ((error as Error | undefined)?.stack ?? String(error));
  console.error(`osv: ${message}`);
  process.exit(1);
});
