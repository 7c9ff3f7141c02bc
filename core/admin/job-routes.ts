import { z } from 'zod';
import { authenticatedPrincipal, type ApiRouter } from '../http/api-router.js';
import type { Kernel } from '../kernel.js';
import { bigintIdSchema } from './schemas.js';

export function jobRoutes(api: ApiRouter, kernel: Kernel): void {
  api.route({
    method: 'get',
    path: '/admin/jobs/dead-letters',
    summary: "The tenant's jobs that used up their attempts, newest first",
    access: 'core:jobs.manage',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    handler: ({ query, principal }) => kernel.deadLetters.list(authenticatedPrincipal(principal).tenantId, query.limit),
  });

  api.route({
    method: 'post',
    path: '/admin/jobs/dead-letters/:id/retry',
    summary: 'Run a dead-lettered job again (once)',
    access: 'core:jobs.manage',
    params: z.object({ id: bigintIdSchema }),
    status: 202,
    handler: ({ params, principal }) => kernel.deadLetters.retry(authenticatedPrincipal(principal).tenantId, params.id),
  });
}
