import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FuzzCredential, fuzzCredentials } from '../../support/fuzz/credentials.js';
import { malformedRequests } from '../../support/fuzz/malformed-requests.js';
import { type Operation, operationsOf } from '../../support/fuzz/openapi-operations.js';
import { malformedPageRequests, undocumentedRoutes } from '../../support/fuzz/page-requests.js';
import { RawClient } from '../../support/fuzz/raw-client.js';
import { findProblems, type PlannedCase, planCases } from '../../support/fuzz/run-cases.js';
import { startTestPlatform, type TestPlatform } from '../../support/harness.js';
import { type Listening, listen } from '../../support/http-servers.js';

/** Change it to explore other cases; a failure names the request, so it replays without the seed. */
const SEED = 20261207;
const CONCURRENCY = 4;
/** About 2,500 requests, some 9 s of CPU: seconds on an idle machine, far longer on a crowded one. */
const FUZZ_TIMEOUT_MS = 180_000;
/** These end the caller's session, so they run once everything else has been sent. */
const SESSION_ENDING = new Set(['POST /api/v1/auth/logout']);
/**
 * Each call that gets through generates an RSA key pair, which holds the event loop for a second or
 * more; these routes get only the cases no JSON route can accept.
 */
const COSTLY_WHEN_ACCEPTED = new Set(['POST /api/v1/lti/keys/rotate']);

let platform: TestPlatform;
let server: Listening;
let client: RawClient;
let credentials: FuzzCredential[];
let operations: Operation[];

/** Each operation draws its cases from its own seed, so adding a route leaves the others' cases alone. */
function seedOf(text: string): number {
  let hash = SEED;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash % 1_000_000_007;
}

beforeAll(async () => {
  // The web process alone (`osv serve --no-workers`): what is under test is how requests are answered.
  platform = await startTestPlatform({ composed: true, redis: true, kernel: { runWorkers: false }, env: { OSV_RATE_LIMIT_PER_MINUTE: '1000000' } });
  server = await listen(platform.app);
  client = new RawClient(server.origin, CONCURRENCY);
  credentials = await fuzzCredentials(platform.kernel, client);
  // The tenant's first signing key is minted on first use, as after its first launch; minting it
  // now spares the cases a dozen concurrent RSA key generations.
  await client.send({ method: 'GET', path: '/lti/tenants/fuzz/jwks.json', headers: {} });
  const document = await client.send({ method: 'GET', path: '/api/v1/openapi.json', headers: {} });
  operations = operationsOf(JSON.parse(document.text));
});
afterAll(async () => {
  client?.close();
  await server?.close();
  await platform?.close();
});

describe('malformed input', () => {
  it('answers every route of the OpenAPI document with a catalogued 4xx, never a 5xx, whatever the input and caller', async () => {
    expect(operations.length).toBeGreaterThan(60);
    const planned = (ending: boolean): PlannedCase[] =>
      operations
        .filter((operation) => SESSION_ENDING.has(`${operation.method} ${operation.path}`) === ending)
        .flatMap((operation) => {
          const name = `${operation.method} ${operation.path}`;
          const seed = seedOf(name);
          const cases = malformedRequests(operation, seed).filter((fuzzCase) => !COSTLY_WHEN_ACCEPTED.has(name) || fuzzCase.unparseable);
          // Documents LMSs fetch (outside /api) answer browsers with an error page.
          const htmlAllowed = !operation.path.startsWith('/api/');
          return planCases(cases, operation.access, credentials, seed).map((planned) => ({ ...planned, htmlAllowed }));
        });
    const findings = [...(await findProblems(client, planned(false), CONCURRENCY)), ...(await findProblems(client, planned(true), CONCURRENCY))];
    expect(findings).toEqual([]);
  }, FUZZ_TIMEOUT_MS);

  it('answers pages, assets and the LMS-facing LTI endpoints without a 5xx', async () => {
    const anonymous = credentials.find((credential) => credential.kind === 'anonymous')!;
    const planned = undocumentedRoutes.flatMap((route) => malformedPageRequests(route).map((fuzzCase) => ({ ...fuzzCase, credential: anonymous, htmlAllowed: true })));
    expect(await findProblems(client, planned, CONCURRENCY)).toEqual([]);
  });
});
