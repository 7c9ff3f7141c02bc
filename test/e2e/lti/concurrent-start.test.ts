import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.js';
import { selectRows } from '../../../core/db/database.js';
import { createLogger } from '../../../core/logger.js';
import { type Platform, startPlatform } from '../../../server/platform.js';
import { createTestDatabase, uniquePrefix } from '../../support/databases.js';

const started: Platform[] = [];
let drop: (() => Promise<void>) | undefined;

afterAll(async () => {
  await Promise.all(started.map((platform) => platform.kernel.shutdown()));
  await drop?.();
});

describe('starting the composed platform', () => {
  it('lets two processes start on a fresh database at once (app and worker): the LTI schema and ltijs’s tables are set up once', async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '3',
      OSV_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      OSV_SIGNING_KEY: randomBytes(32).toString('base64'),
      OSV_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'osv-lti-race-')),
      OSV_QUEUE_PREFIX: uniquePrefix('lti-race'),
      OSV_RUN_WORKERS: 'false',
    });
    const platforms = await Promise.all([0, 1].map(() => startPlatform({ config, log: createLogger('silent') })));
    started.push(...platforms);
    const ledger = await selectRows<{ name: string }>(platforms[0]!.kernel.db, `SELECT name FROM osv_migrations WHERE name LIKE 'lti/%' ORDER BY name`);
    expect(ledger).toEqual([{ name: 'lti/0001-lti-schema' }, { name: 'lti/0002-canonical-roles' }, { name: 'lti/0003-launch-handoffs' }, { name: 'lti/0004-registrations-per-tenant' }]);
    const meta = await selectRows<{ name: string }>(platforms[0]!.kernel.db, 'SELECT name FROM ltijs."SequelizeMeta"');
    expect(meta).toEqual([{ name: '00_addAuthorizationServer.js' }]);
    const scheduled = await selectRows(platforms[0]!.kernel.db, `SELECT 1 FROM outbox WHERE name = 'lti:maintenance' AND status = 'pending'`);
    expect(scheduled).toHaveLength(1);
  });
});
