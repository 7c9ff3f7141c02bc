import { OsvError, type PluginContext } from '../../../core/plugin-api.js';

export interface ReturnUrls {
  successUrl: string;
  cancelUrl: string;
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where Stripe sends the learner back. Given URLs must be on an origin the tenant trusts (one of
 * its publishable keys' sites, or this osv's PUBLIC_URL): otherwise a checkout could bounce
 * learners to anyone's page. Missing ones default to the calling site, or PUBLIC_URL.
 */
export async function resolveReturnUrls(
  ctx: PluginContext,
  tenantId: string,
  given: { successUrl?: string; cancelUrl?: string; origin?: string },
): Promise<ReturnUrls> {
  const trusted = await ctx.platform.trustedOrigins(tenantId);
  for (const field of ['successUrl', 'cancelUrl'] as const) {
    const value = given[field];
    if (value === undefined) continue;
    const origin = originOf(value);
    if (!origin || !trusted.includes(origin)) {
      // The list of the tenant's sites is not shown: any member may send this request.
      const issue = `must be an http(s) URL on this site's own origin (one its publishable key allows) or on osv's address; leave it out to return to the page that asked`;
      throw new OsvError('OSV_ERR_VALIDATION', `body.${field}: ${issue}`, [{ field: `body.${field}`, issue }]);
    }
  }
  const callerOrigin = given.origin && originOf(given.origin);
  const base = callerOrigin && trusted.includes(callerOrigin) ? callerOrigin : new URL(ctx.platform.publicUrl).origin;
  return {
    successUrl: given.successUrl ?? `${base}/?osv_checkout=success`,
    cancelUrl: given.cancelUrl ?? `${base}/?osv_checkout=cancelled`,
  };
}
