import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EnrollResult } from '../../../../widgets/src/api-types.js';
import { commercePlugins, configureStripe, enableCommerce, providerEnv } from '../../../support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../../support/harness.js';
import { startStripeStub, type StripeStub } from '../../../support/stripe-stub.js';

export interface SmallPoolPlatform {
  platform: TestPlatform;
  acme: Tenancy;
  stripe: StripeStub;
  /** Enrolls over real HTTP, so concurrent requests really compete for the pool. */
  enroll(courseId: string, auth: string): Promise<{ status: number; body: EnrollResult }>;
  close(): Promise<void>;
}

/**
 * The commerce plugins on a pool of `pool` connections, listening on a free port, with a tenant
 * whose Stripe is configured. A wait for a connection that never comes fails after 10 s.
 */
export async function startSmallPoolPlatform(pool: number, options: { runWorkers?: boolean } = {}): Promise<SmallPoolPlatform> {
  const stripe: StripeStub = await startStripeStub();
  const platform = await startTestPlatform({
    plugins: commercePlugins(),
    env: { ...providerEnv({ stripe }), DATABASE_POOL_MAX: String(pool), DATABASE_POOL_ACQUIRE_TIMEOUT_MS: '10000', OSV_RATE_LIMIT_PER_MINUTE: '100000' },
    kernel: options.runWorkers === false ? { runWorkers: false } : undefined,
  });
  const acme = await createTenant(platform.kernel, 'acme');
  await enableCommerce(platform.kernel, acme.tenantId);
  await configureStripe(platform.http, acme.admin, stripe);
  const server = createServer(platform.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    platform,
    acme,
    stripe,
    async enroll(courseId, auth) {
      const response = await fetch(`${baseUrl}/api/v1/plugins/enrollment/courses/${courseId}/enroll`, { method: 'POST', headers: { authorization: auth } });
      return { status: response.status, body: (await response.json()) as EnrollResult };
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await platform.close();
      await stripe.close();
    },
  };
}
