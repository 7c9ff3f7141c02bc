import type { Course, LaunchSpec, SimUser } from '../../test/support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../test/support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient } from '../../test/support/lti-launch-client.js';
import { percentile } from '../support/percentile.js';

export interface LaunchLoad {
  concurrency: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LaunchResult {
  launchesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  launches: number;
}

/** Learners spread over a few courses, as a class launching the same activity. */
export interface LaunchAudience {
  clientId: string;
  courses: Course[];
  users: SimUser[];
}

export function audience(lms: LmsSimulator, clientId: string): LaunchAudience {
  const courses = Array.from({ length: 5 }, (_, i) => lms.addCourse(`Bench course ${i + 1}`));
  const users = Array.from({ length: 100 }, (_, i) => lms.addUser(`Bench Learner ${i + 1}`));
  for (const [i, user] of users.entries()) lms.enroll(courses[i % courses.length]!, user);
  return { clientId, courses, users };
}

/**
 * One whole launch as a browser makes it: login initiation (POST), the LMS's authorization
 * endpoint, the id_token form post, and — when the tool redirects after it, as ltijs does — the
 * request that finally returns the tool page.
 */
async function launchOnce(lms: LmsSimulator, loginUrl: string, spec: LaunchSpec): Promise<void> {
  const browser = new LtiLaunchClient();
  const steps = await browser.launch(loginUrl, lms.prepareLaunch(spec));
  let page = steps.launch;
  for (let hops = 0; page && page.status === 302 && hops < 3; hops++) {
    page = await browser.request(new URL(page.headers.get('location')!, steps.form!.action).toString(), { method: 'GET' });
  }
  if (page?.status !== 200) {
    const failed = page ?? steps.authorization ?? steps.login;
    throw new Error(`launch failed: ${failed.status} ${failed.body.slice(0, 300)}`);
  }
}

/** Launches back to back from `concurrency` simulated browsers; every launch must reach the tool page. */
export async function measureLaunches(lms: LmsSimulator, loginUrl: string, people: LaunchAudience, load: LaunchLoad): Promise<LaunchResult> {
  let next = 0;
  const specFor = (): LaunchSpec => {
    const n = next++;
    const user = people.users[n % people.users.length]!;
    const course = people.courses[n % people.courses.length]!;
    return { clientId: people.clientId, user, course, resourceLink: { id: `${course.id}-activity`, title: 'Weekly quiz' } };
  };
  const run = async (seconds: number) => {
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: load.concurrency }, async () => {
        while (performance.now() < deadline) {
          const begin = performance.now();
          await launchOnce(lms, loginUrl, specFor());
          latencies.push(performance.now() - begin);
        }
      }),
    );
    return { latencies, elapsed: (performance.now() - started) / 1000 };
  };
  await run(load.warmupSeconds);
  const { latencies, elapsed } = await run(load.durationSeconds);
  return {
    launchesPerSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    launches: latencies.length,
  };
}
