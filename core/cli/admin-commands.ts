import type { Command } from 'commander';
import { z } from 'zod';
import { tenantRoleSchema } from '../admin/schemas.js';
import { CredentialService } from '../auth/credentials.js';
import type { Kernel } from '../kernel.js';
import type { CommandContext } from './command-context.js';

/** How a command runs: on a database connection alone, or (plugin commands) with the plugins loaded. */
export interface CommandRunners {
  withContext<T>(work: (context: CommandContext) => Promise<T>): Promise<T>;
  withPlugins<T>(work: (kernel: Kernel) => Promise<T>): Promise<T>;
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** Parses `--set key=value` pairs; values that read as JSON (numbers, booleans) are typed. */
function parseAssignments(pairs: string[]): Record<string, unknown> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const index = pair.indexOf('=');
      if (index < 1) throw new Error(`--set expects key=value, got "${pair}"`);
      const raw = pair.slice(index + 1);
      let value: unknown = raw;
      try {
        value = JSON.parse(raw);
      } catch {
        // a plain string
      }
      return [pair.slice(0, index), value];
    }),
  );
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The same operations as the REST admin API, run directly against the database. */
export function adminCommands(program: Command, { withContext, withPlugins }: CommandRunners): void {
  const plugins = program.command('plugins').description('Install, enable and configure plugins');

  plugins.command('list').description('Every plugin present and its state').action(() =>
    withPlugins(async (kernel) => print(await kernel.plugins.list())),
  );
  for (const action of ['install', 'upgrade'] as const) {
    plugins.command(`${action} <id>`).description(`${action} a plugin`).action((id: string) =>
      withPlugins(async (kernel) => print(await kernel.plugins[action](id))),
    );
  }
  plugins
    .command('uninstall <id>')
    .description('Uninstall a plugin everywhere, dropping its data')
    .requiredOption('--yes', 'confirm that the data is to be dropped')
    .action((id: string) => withPlugins(async (kernel) => print(await kernel.plugins.uninstall(id))));
  for (const enabled of [true, false]) {
    plugins
      .command(`${enabled ? 'enable' : 'disable'} <id>`)
      .description(`${enabled ? 'Enable' : 'Disable'} a plugin for a tenant`)
      .requiredOption('--tenant <slug>', 'tenant slug')
      .action((id: string, options: { tenant: string }) =>
        withPlugins(async (kernel) => {
          const tenant = await kernel.tenants.get(options.tenant);
          await kernel.plugins.setEnabled(tenant.id, id, enabled);
          console.log(`${id} ${enabled ? 'enabled' : 'disabled'} for ${tenant.slug}`);
        }),
      );
  }
  plugins
    .command('configure <id>')
    .description("Change a tenant's plugin settings")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--set <key=value>', 'a setting (repeatable)', collect, [])
    .action((id: string, options: { tenant: string; set: string[] }) =>
      withPlugins(async (kernel) => {
        const tenant = await kernel.tenants.get(options.tenant);
        print(await kernel.pluginSettings.write(tenant.id, kernel.plugins.manifest(id), parseAssignments(options.set)));
      }),
    );

  const tenants = program.command('tenants').description('Tenants (universities, websites)');
  tenants.command('list').action(() => withContext(async (context) => print(await context.tenants.list())));
  tenants
    .command('create <slug>')
    .description('Create a tenant and its first admin account (password printed once)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--admin-email <email>', 'first admin account')
    .action((slug: string, options: { name: string; adminEmail: string }) =>
      withContext(async (context) => {
        const email = z.email().parse(options.adminEmail);
        const result = await context.db.transaction(async (transaction) => {
          const tenant = await context.tenants.create({ slug, name: options.name }, transaction);
          const { password } = await context.tenants.createUser(tenant.id, { email, role: 'admin' }, transaction);
          return { tenant, admin: { email, password } };
        });
        print(result);
      }),
    );

  const keys = program.command('keys').description('Secret API keys (sk_…)');
  keys
    .command('list')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .action((options: { tenant: string }) =>
      withContext(async (context) => print(await new CredentialService(context.db).listApiKeys((await context.tenants.get(options.tenant)).id))),
    );
  keys
    .command('create')
    .description('Create a key; the secret is printed once')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--role <role>', 'admin, instructor or learner', 'admin')
    .action((options: { tenant: string; name: string; role: string }) =>
      withContext(async (context) => {
        const tenant = await context.tenants.get(options.tenant);
        print(await new CredentialService(context.db).createApiKey(tenant.id, { name: options.name, role: tenantRoleSchema.parse(options.role) }));
      }),
    );
  keys
    .command('revoke <id>')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .action((id: string, options: { tenant: string }) =>
      withContext(async (context) => {
        await new CredentialService(context.db).revokeApiKey((await context.tenants.get(options.tenant)).id, id);
        console.log(`revoked ${id}`);
      }),
    );
}
