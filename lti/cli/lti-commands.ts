import type { Command } from 'commander';
import { OsvError } from '../../core/errors.js';
import { manualRegistrationSchema, toRegistrationInput } from '../registry/manual-registration.js';
import { registrationStatuses, setupGuide } from '../registration/setup-guide.js';
import { ROSTER_SYNC_JOB } from '../services/roster-sync-job.js';
import type { LtiCommandServices } from './command-services.js';

/** Runs one command on a database connection with the LTI parts it uses (see command-services.ts). */
type WithServices = <T>(work: (services: LtiCommandServices) => Promise<T>) => Promise<T>;

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
const collect = (value: string, previous: string[]) => [...previous, value];

/** `osv lti …`: the LTI admin API, run directly against the database. */
export function ltiCommands(program: Command, withServices: WithServices): void {
  const lti = program.command('lti').description('LTI 1.3: connect Moodle and Canvas');
  const tenantOf = async (services: LtiCommandServices, slug: string) => services.context.tenants.get(slug);

  lti
    .command('setup')
    .description('What to paste into Moodle and Canvas for a tenant, and what each registration still needs')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .action((options: { tenant: string }) =>
      withServices(async (services) => {
        const guide = await setupGuide(services, await tenantOf(services, options.tenant));
        for (const warning of guide.warnings) console.error(`osv: warning: ${warning}`);
        print(guide);
      }),
    );

  const registrations = lti.command('registrations').description('LMS registrations');
  registrations
    .command('list')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .action((options: { tenant: string }) =>
      withServices(async (services) => print(await registrationStatuses(services, (await tenantOf(services, options.tenant)).id))),
    );
  registrations
    .command('add')
    .description('Register an LMS by hand with the values it shows')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--client-id <id>', 'the client id the LMS gave osv')
    .option('--preset <preset>', 'canvas-cloud: Instructure-hosted Canvas issuer and endpoints')
    .option('--issuer <iss>', 'the platform id / issuer')
    .option('--auth-url <url>', 'OIDC authentication request URL')
    .option('--token-url <url>', 'access token URL')
    .option('--jwks-url <url>', 'public keyset URL')
    .option('--auth-server <aud>', 'audience of client assertions when not the token URL')
    .option('--name <name>', 'a name for admins')
    .option('--deployment <id>', 'a deployment id (repeatable)', collect, [])
    .action(
      (options: {
        tenant: string;
        clientId: string;
        preset?: string;
        issuer?: string;
        authUrl?: string;
        tokenUrl?: string;
        jwksUrl?: string;
        authServer?: string;
        name?: string;
        deployment: string[];
      }) =>
        withServices(async (services) => {
          const parsed = manualRegistrationSchema.safeParse({
            name: options.name,
            preset: options.preset,
            issuer: options.issuer,
            clientId: options.clientId,
            authorizationEndpoint: options.authUrl,
            tokenEndpoint: options.tokenUrl,
            authorizationServer: options.authServer,
            jwksUri: options.jwksUrl,
            deploymentIds: options.deployment,
          });
          if (!parsed.success) {
            throw new OsvError('OSV_ERR_VALIDATION', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
          }
          const tenant = await tenantOf(services, options.tenant);
          print(await services.registrations.create(tenant.id, toRegistrationInput(parsed.data)));
        }),
    );
  for (const [command, status] of [
    ['enable', 'active'],
    ['disable', 'disabled'],
  ] as const) {
    registrations
      .command(`${command} <id>`)
      .requiredOption('--tenant <slug>', 'tenant slug')
      .action((id: string, options: { tenant: string }) =>
        withServices(async (services) => print(await services.registrations.update((await tenantOf(services, options.tenant)).id, id, { status }))),
      );
  }

  lti
    .command('deployments')
    .description('Accept launches from a deployment')
    .command('add <registrationId> <deploymentId>')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .action((registrationId: string, deploymentId: string, options: { tenant: string }) =>
      withServices(async (services) =>
        print(await services.registrations.addDeployment((await tenantOf(services, options.tenant)).id, registrationId, deploymentId)),
      ),
    );

  const keys = lti.command('keys').description("The tenant's LTI signing keys");
  keys
    .command('list')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .action((options: { tenant: string }) =>
      withServices(async (services) => {
        const tenant = await tenantOf(services, options.tenant);
        await services.toolKeys.ensureActive(tenant.id);
        print(await services.toolKeys.list(tenant.id));
      }),
    );
  keys
    .command('rotate')
    .description('Make a new key active; the previous one stays published for the overlap')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--overlap-minutes <minutes>', 'how long the previous key stays published', (value) => Number.parseInt(value, 10))
    .action((options: { tenant: string; overlapMinutes?: number }) =>
      withServices(async (services) => {
        const overlap = options.overlapMinutes ?? services.options.keyOverlapMinutes;
        if (!Number.isInteger(overlap) || overlap < 10) throw new OsvError('OSV_ERR_VALIDATION', '--overlap-minutes must be at least 10');
        const key = await services.toolKeys.rotate((await tenantOf(services, options.tenant)).id, overlap);
        print({ kid: key.kid, status: key.status });
      }),
    );
  keys
    .command('revoke <kid>')
    .description('Revoke a key at once')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .action((kid: string, options: { tenant: string }) =>
      withServices(async (services) => {
        await services.toolKeys.revoke((await tenantOf(services, options.tenant)).id, kid);
        console.log(`${kid} revoked`);
      }),
    );

  lti
    .command('roster-sync')
    .description('Sync course rosters from the LMS now (all courses of the tenant, or one)')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--context <id>', "osv's id of one course")
    .action((options: { tenant: string; context?: string }) =>
      withServices(async (services) => {
        const tenant = await tenantOf(services, options.tenant);
        if (options.context) {
          await services.jobs.enqueue(ROSTER_SYNC_JOB, { contextRef: options.context }, { tenantId: tenant.id });
          console.log('1 roster sync queued');
        } else {
          console.log(`${await services.maintenance.enqueueDueRosterSyncs(tenant.id, 0)} roster syncs queued`);
        }
      }),
    );

  lti
    .command('launch-log')
    .description('Recent launches and service calls')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--failures', 'failures only')
    .option('--limit <n>', 'how many', (value) => Number.parseInt(value, 10), 50)
    .action((options: { tenant: string; failures?: boolean; limit: number }) =>
      withServices(async (services) =>
        print(
          await services.launchLog.list((await tenantOf(services, options.tenant)).id, {
            outcome: options.failures ? 'failure' : undefined,
            limit: Math.min(Math.max(options.limit, 1), 500),
          }),
        ),
      ),
    );
}
