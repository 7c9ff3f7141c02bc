import { answerProblem } from './answer-problems.js';
import { type FuzzCredential, mayCall } from './credentials.js';
import type { FuzzCase } from './malformed-requests.js';
import { seededSubset } from './malformed-values.js';
import type { RawClient } from './raw-client.js';

export interface PlannedCase extends FuzzCase {
  credential: FuzzCredential;
  htmlAllowed?: boolean;
}

/** How many of an operation's cases each caller gets: bounded so the suite stays quick. */
export const CASES_PER_ROUTE = { firstAllowedCaller: 64, otherAllowedCaller: 4, refusedCaller: 2 };

/**
 * The least privileged caller that may call the route (callers are listed least privileged first)
 * gets every case no route can accept and a seeded sample of the rest, up to the bound; the other
 * callers that may call it get a smaller sample, those refused a few cases.
 */
export function planCases(cases: FuzzCase[], access: string, credentials: FuzzCredential[], seed: number): PlannedCase[] {
  let fullTableGiven = false;
  return credentials.flatMap((credential, index) => {
    const allowed = mayCall(credential, access);
    const first = allowed && !fullTableGiven;
    if (allowed) fullTableGiven = true;
    const chosen = first
      ? firstCallerCases(cases, seed + index)
      : seededSubset(cases, allowed ? CASES_PER_ROUTE.otherAllowedCaller : CASES_PER_ROUTE.refusedCaller, seed + index);
    return chosen.map((fuzzCase) => ({ ...fuzzCase, credential }));
  });
}

function firstCallerCases(cases: FuzzCase[], seed: number): FuzzCase[] {
  const unparseable = cases.filter((fuzzCase) => fuzzCase.unparseable);
  const rest = cases.filter((fuzzCase) => !fuzzCase.unparseable);
  const sampled = new Set(seededSubset(rest, Math.max(0, CASES_PER_ROUTE.firstAllowedCaller - unparseable.length), seed));
  return cases.filter((fuzzCase) => fuzzCase.unparseable || sampled.has(fuzzCase));
}

export interface Finding {
  request: string;
  problem: string;
}

/** Sends every case (a few at a time) and lists each answer that breaks the contract. */
export async function findProblems(client: RawClient, planned: PlannedCase[], concurrency: number): Promise<Finding[]> {
  const findings: Finding[] = [];
  let next = 0;
  const worker = async () => {
    while (next < planned.length) {
      const fuzzCase = planned[next++]!;
      const request = `${fuzzCase.method} ${fuzzCase.path.slice(0, 120)} as ${fuzzCase.credential.kind} (${fuzzCase.label})`;
      try {
        const response = await client.send({
          method: fuzzCase.method,
          path: fuzzCase.path,
          headers: { ...fuzzCase.credential.headers, ...fuzzCase.headers },
          body: fuzzCase.body,
        });
        const problem = answerProblem(response, { htmlAllowed: fuzzCase.htmlAllowed });
        if (problem) findings.push({ request, problem });
      } catch (error) {
        findings.push({ request, problem: `no answer: ${(error as Error).message}` });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return findings;
}
