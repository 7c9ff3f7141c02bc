import { z } from 'zod';
import { definePlugin } from '../../core/plugin-api.js';

/** A plugin that grades through `ctx.lti`, as a quiz plugin would. */
export const grader = definePlugin({
  manifest: {
    id: 'grader',
    name: 'Grader',
    version: '1.0.0',
    coreRange: '>=0.1.0 <1.0.0',
    capabilities: { 'grader:submit': { description: 'Hand in an answer', defaultRoles: ['learner', 'instructor'] } },
  },
  register(ctx) {
    ctx.http.route({
      method: 'post',
      path: '/grade',
      summary: 'Grade the caller on the LTI link they launched',
      access: 'grader:submit',
      status: 202,
      body: z.object({ score: z.number(), tag: z.string().optional(), resourceLinkId: z.uuid().optional() }),
      handler: async ({ body, principal }) => {
        const launch = ctx.lti!.launchOf(principal!);
        const jobId = await ctx.lti!.submitScore({
          tenantId: principal!.tenantId,
          userId: principal!.userId!,
          resourceLinkId: body.resourceLinkId ?? launch!.resourceLinkId!,
          scoreGiven: body.score,
          scoreMaximum: 10,
          comment: 'Well done',
          ...(body.tag ? { lineItem: { tag: body.tag, label: `Quiz ${body.tag}` } } : {}),
        });
        return { jobId };
      },
    });
  },
});
