import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { StartupError } from '../../startup-error.js';

const run = promisify(execFile);

/** The account PostgreSQL runs as: itself when osv is not root, else the `postgres` system user. */
export interface PostgresUser {
  /** Set only when osv runs as root (PostgreSQL refuses to). */
  uid?: number;
  gid?: number;
}

/** Under root, finds (or creates) the `postgres` system user; otherwise PostgreSQL runs as osv's own user. */
export async function postgresUser(): Promise<PostgresUser> {
  if (process.getuid?.() !== 0) return {};
  const existing = await lookUp('postgres');
  if (existing) return existing;
  try {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  } catch (error) {
    throw new StartupError(
      `PostgreSQL does not run as root and there is no "postgres" user to run it as (creating one failed: ${(error as Error).message.trim()}). ` +
        'Create that user, run osv as another user, or set DATABASE_URL to a PostgreSQL server.',
    );
  }
  return (await lookUp('postgres'))!;
}

async function lookUp(name: string): Promise<PostgresUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** Whether `user` may enter (directory) or execute (file) `target`, every parent directory included. */
export async function canReach(user: PostgresUser, target: string): Promise<boolean> {
  if (user.uid === undefined) return true;
  try {
    await run('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], { uid: user.uid, gid: user.gid, cwd: '/' });
    return true;
  } catch {
    return false;
  }
}
