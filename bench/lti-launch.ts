import { LmsSimulator } from '../test/support/lms-simulator/lms-simulator.js';
import { audience, type LaunchLoad, type LaunchResult, measureLaunches } from './lti/launch-load.js';
import type { Cleanup } from './support/cleanup.js';
import { startChildServer } from './support/child-server.js';
import { type Comparison, compare } from './support/comparison.js';
import { osvBenchEnvironment } from './support/osv-environment.js';
import { progress } from './support/progress.js';

export interface LtiLaunchSettings {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  concurrent: LaunchLoad;
  sequential: LaunchLoad;
}

export interface LtiLaunchComparison {
  /** Launches per second, `concurrent.concurrency` browsers at once. */
  concurrent: Comparison;
  /** Launches per second, one browser. */
  sequential: Comparison;
  /** 99th percentile of one whole launch, one browser (lower is better). */
  sequentialP99: Comparison;
}

const OSV_SERVER = new URL('./lti/osv-tool-server.js', import.meta.url);
const BARE_SERVER = new URL('./lti/bare-ltijs-server.js', import.meta.url);

interface Tool {
  name: string;
  script: URL;
  env: Record<string, string>;
  paths: { login: string; launch: string; jwks: string };
}

/**
 * End-to-end LTI launches (login → LMS authorization → id_token POST → tool page) against osv and
 * against a bare ltijs 5.9.9 tool, both driven by the same simulated LMS, one tool at a time.
 */
export async function measureLtiLaunch(settings: LtiLaunchSettings, cleanup: Cleanup): Promise<LtiLaunchComparison> {
  const lms = await LmsSimulator.start();
  const stopLms = cleanup.add('stop the LMS simulator', () => lms.stop());
  try {
    const bare = await measureTool(lms, settings, cleanup, {
      name: 'bare ltijs',
      script: BARE_SERVER,
      env: { DATABASE_URL: settings.databaseUrl },
      paths: { login: '/login', launch: '/launch', jwks: '/keys' },
    });
    const osv = await measureTool(lms, settings, cleanup, {
      name: 'osv',
      script: OSV_SERVER,
      // The simulated LMS listens on this machine over http.
      env: { ...osvBenchEnvironment(settings), OSV_LTI_ALLOW_LOOPBACK_HTTP: 'true' },
      paths: { login: '/lti/login', launch: '/lti/launch', jwks: '/lti/tenants/bench/jwks.json' },
    });
    return {
      concurrent: compare(osv.concurrent.launchesPerSecond, bare.concurrent.launchesPerSecond, 'launches/s'),
      sequential: compare(osv.sequential.launchesPerSecond, bare.sequential.launchesPerSecond, 'launches/s'),
      sequentialP99: compare(osv.sequential.p99Ms, bare.sequential.p99Ms, 'ms'),
    };
  } finally {
    await stopLms();
  }
}

async function measureTool(lms: LmsSimulator, settings: LtiLaunchSettings, cleanup: Cleanup, tool: Tool) {
  const clientId = `bench-${tool.name.replace(/\W+/g, '-')}`;
  const deploymentId = `${clientId}-deployment`;
  const server = await startChildServer(tool.script, {
    ...tool.env,
    BENCH_LMS_ISSUER: lms.issuer,
    BENCH_LMS_URL: lms.url,
    BENCH_CLIENT_ID: clientId,
    BENCH_DEPLOYMENT_ID: deploymentId,
  });
  const stop = cleanup.add(`stop ${tool.name}`, server.stop);
  try {
    lms.addClient({
      clientId,
      deploymentIds: [deploymentId],
      loginUrl: `${server.url}${tool.paths.login}`,
      launchUrl: `${server.url}${tool.paths.launch}`,
      jwksUrl: `${server.url}${tool.paths.jwks}`,
    });
    const people = audience(lms, clientId);
    const run = async (load: LaunchLoad): Promise<LaunchResult> => {
      const result = await measureLaunches(lms, `${server.url}${tool.paths.login}`, people, load);
      progress(
        `lti: ${tool.name}, ${load.concurrency} at once: ${result.launchesPerSecond.toFixed(1)} launches/s, ` +
          `p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms (${result.launches} launches)`,
      );
      return result;
    };
    return { concurrent: await run(settings.concurrent), sequential: await run(settings.sequential) };
  } catch (error) {
    progress(`lti: ${tool.name} failed; its last log lines:\n${server.output.slice(-10).join('\n')}`);
    throw error;
  } finally {
    await stop();
  }
}
