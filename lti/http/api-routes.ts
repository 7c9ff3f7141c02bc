import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import { OsvError } from '../../core/errors.js';
import { ApiRouter, authenticatedPrincipal } from '../../core/http/api-router.js';
import type { LtiServices } from '../lti-services.js';
import { manualRegistrationSchema, toRegistrationInput } from '../registry/manual-registration.js';
import { registrationStatuses, setupGuide } from '../registration/setup-guide.js';
import { ROSTER_SYNC_JOB } from '../services/roster-sync-job.js';

const MANAGE = 'core:lti.manage';
const TEACH = 'core:lti.teach';

const idParams = z.object({ id: z.uuid() });
const deploymentParams = z.object({ id: z.uuid(), deploymentId: z.string().min(1).max(255) });
const kidParams = z.object({ kid: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });

/** The JSON API of the LTI module, under /api/v1/lti (behind the API's authentication). */
export function ltiApiRoutes(services: LtiServices): ApiRouter {
  const { kernel } = services;
  const api = new ApiRouter({ prefix: '/api/v1/lti', tag: 'lti', openapi: kernel.openapi, capabilities: kernel.capabilities });
  const tenantOf = (principal: Principal | undefined) => authenticatedPrincipal(principal).tenantId;

  api.route({
    method: 'get',
    path: '/setup',
    summary: 'What to paste into Moodle and Canvas, and what each registration still needs',
    access: MANAGE,
    handler: async ({ principal }) => setupGuide(services, await kernel.tenants.get(tenantOf(principal))),
  });

  api.route({
    method: 'get',
    path: '/registrations',
    summary: "The tenant's LMS registrations with their deployments and next steps",
    access: MANAGE,
    handler: ({ principal }) => registrationStatuses(services, tenantOf(principal)),
  });

  api.route({
    method: 'post',
    path: '/registrations',
    summary: 'Register an LMS by hand (issuer, client id, endpoints, deployment ids; or preset "canvas-cloud")',
    access: MANAGE,
    status: 201,
    body: manualRegistrationSchema,
    handler: async ({ body, principal }) => {
      const registration = await services.registrations.create(tenantOf(principal), toRegistrationInput(body));
      return { ...registration, deployments: body.deploymentIds };
    },
  });

  api.route({
    method: 'get',
    path: '/registrations/:id',
    summary: 'One LMS registration',
    access: MANAGE,
    params: idParams,
    handler: async ({ params, principal }) => {
      const registration = await services.registrations.get(tenantOf(principal), params.id);
      const deployments = await services.registrations.deployments(tenantOf(principal), params.id);
      return { ...registration, deployments: deployments.map((deployment) => deployment.deployment_id) };
    },
  });

  api.route({
    method: 'patch',
    path: '/registrations/:id',
    summary: 'Rename, re-point or enable/disable an LMS registration',
    access: MANAGE,
    params: idParams,
    body: z.object({
      name: z.string().min(1).max(200).optional(),
      status: z.enum(['active', 'disabled']).optional(),
      authorizationEndpoint: z.url().optional(),
      tokenEndpoint: z.url().optional(),
      authorizationServer: z.string().min(1).max(2000).nullable().optional(),
      jwksUri: z.url().optional(),
    }),
    handler: ({ params, body, principal }) => services.registrations.update(tenantOf(principal), params.id, body),
  });

  api.route({
    method: 'delete',
    path: '/registrations/:id',
    summary: 'Remove an LMS registration (its courses and links go with it)',
    access: MANAGE,
    params: idParams,
    status: 204,
    handler: ({ params, principal }) => services.registrations.remove(tenantOf(principal), params.id),
  });

  api.route({
    method: 'post',
    path: '/registrations/:id/deployments',
    summary: 'Accept launches from one more deployment of this LMS registration',
    access: MANAGE,
    params: idParams,
    status: 201,
    body: z.object({ deploymentId: z.string().min(1).max(255), label: z.string().max(200).optional() }),
    handler: ({ params, body, principal }) => services.registrations.addDeployment(tenantOf(principal), params.id, body.deploymentId, body.label),
  });

  api.route({
    method: 'delete',
    path: '/registrations/:id/deployments/:deploymentId',
    summary: 'Stop accepting launches from a deployment',
    access: MANAGE,
    params: deploymentParams,
    status: 204,
    handler: ({ params, principal }) => services.registrations.removeDeployment(tenantOf(principal), params.id, params.deploymentId),
  });

  api.route({
    method: 'get',
    path: '/keys',
    summary: "The tenant's LTI signing keys: active, retiring (still published) and revoked",
    access: MANAGE,
    handler: async ({ principal }) => {
      await services.toolKeys.ensureActive(tenantOf(principal));
      return services.toolKeys.list(tenantOf(principal));
    },
  });

  api.route({
    method: 'post',
    path: '/keys/rotate',
    summary: 'Make a new signing key active; the previous one stays published for the overlap',
    access: MANAGE,
    status: 201,
    body: z.object({ overlapMinutes: z.number().int().min(10).max(60 * 24 * 30).optional() }),
    handler: async ({ body, principal }) => {
      const key = await services.toolKeys.rotate(tenantOf(principal), body.overlapMinutes ?? services.options.keyOverlapMinutes);
      return { kid: key.kid, status: key.status, created_at: key.created_at };
    },
  });

  api.route({
    method: 'post',
    path: '/keys/:kid/revoke',
    summary: 'Revoke a signing key at once (unpublished, never used again; a new key replaces an active one)',
    access: MANAGE,
    params: kidParams,
    status: 204,
    handler: ({ params, principal }) => services.toolKeys.revoke(tenantOf(principal), params.kid),
  });

  api.route({
    method: 'get',
    path: '/launch-log',
    summary: 'Launches and LMS service calls, newest first, with the precise reason of each failure',
    access: MANAGE,
    query: z.object({
      kind: z.enum(['launch', 'deep_link', 'deep_link_response', 'ags_score', 'nrps_sync', 'registration']).optional(),
      outcome: z.enum(['success', 'failure']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().positive().optional(),
    }),
    handler: ({ query, principal }) =>
      services.launchLog.list(tenantOf(principal), { kind: query.kind, outcome: query.outcome, limit: query.limit, before: query.before?.toString() }),
  });

  api.route({
    method: 'get',
    path: '/contexts',
    summary: 'LMS courses seen by osv (their ids link enrollment courses to rosters)',
    access: MANAGE,
    handler: ({ principal }) =>
      new TenantScope(kernel.db, tenantOf(principal)).query(
        `SELECT c.id, c.context_id, c.title, c.label, c.roster_synced_at, d.deployment_id,
           (SELECT count(*)::int FROM lti_memberships m WHERE m.context_ref = c.id AND m.status = 'active') AS active_members
         FROM lti_contexts c JOIN lti_deployments d ON d.id = c.deployment_ref WHERE c.tenant_id = $1 ORDER BY c.created_at`,
      ),
  });

  api.route({
    method: 'post',
    path: '/roster-syncs',
    summary: 'Sync every course roster of the tenant from its LMS now (otherwise nightly)',
    access: MANAGE,
    status: 202,
    handler: async ({ principal }) => ({ queued: await services.maintenance.enqueueDueRosterSyncs(tenantOf(principal), 0) }),
  });

  const assertTeaches = async (principal: Principal | undefined, contextId: string) => {
    const caller = authenticatedPrincipal(principal);
    const scope = new TenantScope(kernel.db, caller.tenantId);
    if (!(await scope.findOne('lti_contexts', { id: contextId }))) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such course');
    if (caller.role === 'owner' || caller.role === 'admin') return scope;
    // NRPS data is reachable from any launch, students' too: osv checks the course role itself.
    const membership = caller.userId
      ? await scope.findOne<{ role: string; status: string }>('lti_memberships', { context_ref: contextId, user_id: caller.userId })
      : undefined;
    if (caller.kind !== 'member' || membership?.status !== 'active' || membership.role === 'learner') {
      throw new OsvError('OSV_ERR_FORBIDDEN', 'Only the instructors of this course may do this');
    }
    return scope;
  };

  api.route({
    method: 'get',
    path: '/contexts/:id/members',
    summary: "A course's active members as the LMS last listed them (instructors of the course and admins)",
    access: TEACH,
    params: idParams,
    handler: async ({ params, principal }) =>
      (await assertTeaches(principal, params.id)).query(
        `SELECT u.id AS user_id, u.name, u.email, m.role, m.lti_roles, m.source, m.updated_at
         FROM lti_memberships m JOIN users u ON u.id = m.user_id
         WHERE m.tenant_id = $1 AND m.context_ref = $2 AND m.status = 'active' ORDER BY u.name NULLS LAST, u.id`,
        [params.id],
      ),
  });

  api.route({
    method: 'post',
    path: '/contexts/:id/roster-sync',
    summary: "Sync a course's roster from its LMS now",
    access: TEACH,
    params: idParams,
    status: 202,
    handler: async ({ params, principal }) => {
      await assertTeaches(principal, params.id);
      const jobId = await kernel.jobs.enqueue(ROSTER_SYNC_JOB, { contextRef: params.id }, { tenantId: tenantOf(principal) });
      return { jobId };
    },
  });

  api.route({
    method: 'post',
    path: '/deep-links/:id/response',
    summary: 'Sign the content an instructor picked for the LMS (the page posts it back to the LMS)',
    access: TEACH,
    params: idParams,
    body: z.object({ items: z.array(z.string().regex(/^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/)).min(1).max(20) }),
    response: z.object({ returnUrl: z.string(), jwt: z.string() }),
    handler: ({ params, body, principal }) => {
      const caller = authenticatedPrincipal(principal);
      if (caller.kind !== 'member' || !caller.userId) throw new OsvError('OSV_ERR_FORBIDDEN', 'Content is chosen from an LMS launch');
      return services.deepLinkResponder.respond(caller.tenantId, caller.userId, params.id, body.items);
    },
  });

  api.route({
    method: 'post',
    path: '/session/refresh',
    summary: 'A fresh access token for the page of an LTI launch (before the current one expires); never past 12 hours after the launch',
    access: 'authenticated',
    response: z.object({ token: z.string(), expiresAt: z.string() }),
    handler: async ({ principal }) => {
      const caller = authenticatedPrincipal(principal);
      const role = caller.role;
      if (caller.kind !== 'member' || !caller.userId || !caller.scope?.includes('lti') || role === 'owner' || role === 'guest') {
        throw new OsvError('OSV_ERR_FORBIDDEN', 'Only the token of an LTI launch can be refreshed here');
      }
      const issued = await kernel.accessTokens.issue(
        { tenantId: caller.tenantId, userId: caller.userId, role, scope: caller.scope, authTime: caller.authTime },
        services.options.accessTokenTtlSeconds,
      );
      return { token: issued.token, expiresAt: issued.expiresAt.toISOString() };
    },
  });

  return api;
}
