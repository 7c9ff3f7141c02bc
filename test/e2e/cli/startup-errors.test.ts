import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../support/databases.js';
import { exitCode, runCli, spawnCli } from '../../support/cli.js';

const keys = { OSV_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'), OSV_SIGNING_KEY: Buffer.alloc(32, 4).toString('base64') };

/** A closed loopback port: listened on, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('start-up errors are messages, not stack traces', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let busy: Server;
  let busyPort = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy?.close(resolve));
    await database?.drop();
  });

  it('names DATABASE_URL and its host when the database cannot be reached', { timeout: 300_000 }, async () => {
    const port = await closedPort();
    const failure = await runCli(['tenants', 'list'], { ...keys, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/osv` }).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain(`DATABASE_URL at 127.0.0.1:${port}`);
    expect(failure.stderr).not.toMatch(/\n\s+at /);

    const server = spawnCli(['serve'], { ...keys, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/osv`, PORT: '0', LOG_LEVEL: 'silent' });
    let stderr = '';
    server.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    expect(await exitCode(server)).toBe(1);
    expect(stderr).toContain(`DATABASE_URL at 127.0.0.1:${port}`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('names the port and what to do when it is already in use', { timeout: 300_000 }, async () => {
    const server = spawnCli(['serve'], { ...keys, DATABASE_URL: database.url, REDIS_URL: '', HOST: '127.0.0.1', PORT: String(busyPort), LOG_LEVEL: 'silent' });
    let stderr = '';
    server.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    expect(await exitCode(server)).toBe(1);
    expect(stderr).toContain(`Port ${busyPort} is already in use`);
    expect(stderr).toContain('set PORT to a free port');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
