import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineMigration, definePlugin, OsvError } from '../../../core/plugin-api.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { countOf, JOB_MODES, outboxRows, untilStatus } from '../../support/jobs.js';

const EVENT = 'ev-source.item.created';
const ASYNC_JOB = `ev-listener:on:${EVENT}`;
/** Manifests allow camelCase after the first segment. */
const RENAMED = 'ev-source.item.titleChanged';

interface ItemCreated {
  itemId: string;
  title: string;
}

/** Emits `ev-source.item.created` from the transaction that inserts the item. */
const source = definePlugin({
  manifest: {
    id: 'ev-source',
    name: 'Event source',
    version: '1.0.0',
    coreRange: '>=0.1.0 <1.0.0',
    capabilities: { 'ev-source:write': { description: 'Create items', defaultRoles: ['admin'] } },
    events: { emits: [EVENT, RENAMED] },
  },
  migrations: [
    defineMigration({
      name: '0001-items',
      async up({ sql }) {
        await sql(`CREATE TABLE ev_source_items (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
          title text NOT NULL,
          txid bigint NOT NULL DEFAULT txid_current()
        )`);
      },
    }),
  ],
  register(ctx) {
    ctx.http.route({
      method: 'post',
      path: '/items',
      summary: 'Create an item',
      access: 'ev-source:write',
      status: 201,
      body: z.object({ title: z.string().min(1), failAfterEmit: z.boolean().default(false) }),
      handler: ({ body, principal }) => {
        const tenantId = principal!.tenantId;
        return ctx.db.transaction(async (transaction) => {
          const item = await ctx.db.forTenant(tenantId).insert<{ id: string }>(ctx.db.table('items'), { title: body.title }, transaction);
          await ctx.events.emit(EVENT, { itemId: item.id, title: body.title } satisfies ItemCreated, { tenantId, transaction });
          if (body.failAfterEmit) throw new OsvError('OSV_ERR_CONFLICT', 'ev-source gave up after emitting');
          return item;
        });
      },
    });
    ctx.http.route({
      method: 'patch',
      path: '/items/:id',
      summary: 'Rename an item',
      access: 'ev-source:write',
      params: z.object({ id: z.uuid() }),
      body: z.object({ title: z.string().min(1) }),
      handler: ({ params, body, principal }) => {
        const tenantId = principal!.tenantId;
        return ctx.db.transaction(async (transaction) => {
          const [item] = await ctx.db.forTenant(tenantId).update(ctx.db.table('items'), { id: params.id }, { title: body.title }, transaction);
          await ctx.events.emit(RENAMED, { itemId: params.id, title: body.title } satisfies ItemCreated, { tenantId, transaction });
          return item;
        });
      },
    });
  },
});

/** Listens with two sync hooks (one records, one may veto) and an async handler. */
const listener = definePlugin({
  manifest: {
    id: 'ev-listener',
    name: 'Event listener',
    version: '1.0.0',
    coreRange: '>=0.1.0 <1.0.0',
    events: { listens: [EVENT, RENAMED] },
  },
  migrations: [
    defineMigration({
      name: '0001-logs',
      async up({ sql }) {
        await sql(`CREATE TABLE ev_listener_hook_log (
          id bigserial PRIMARY KEY,
          tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
          title text NOT NULL,
          txid bigint NOT NULL DEFAULT txid_current()
        )`);
        await sql(`CREATE TABLE ev_listener_async_log (
          id bigserial PRIMARY KEY,
          tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
          title text NOT NULL,
          item_visible boolean NOT NULL,
          txid bigint NOT NULL DEFAULT txid_current()
        )`);
      },
    }),
  ],
  register(ctx) {
    ctx.events.on(
      EVENT,
      async (payload, { tenantId, transaction }) => {
        await ctx.db.forTenant(tenantId).insert(ctx.db.table('hook_log'), { title: (payload as ItemCreated).title }, transaction);
      },
      { priority: 10 },
    );
    ctx.events.on(EVENT, (payload) => {
      if ((payload as ItemCreated).title === 'vetoed') throw new OsvError('OSV_ERR_CONFLICT', 'ev-listener refuses this item');
    });
    ctx.events.onAsync(EVENT, async (payload, job, tx) => {
      const { itemId, title } = payload as ItemCreated;
      const scope = ctx.db.forTenant(job.tenantId!);
      const item = await scope.findOne('ev_source_items', { id: itemId }, tx);
      await scope.insert(ctx.db.table('async_log'), { title, item_visible: item !== undefined }, tx);
    });
    ctx.events.onAsync(RENAMED, async (payload, job, tx) => {
      const { title } = payload as ItemCreated;
      await ctx.db.forTenant(job.tenantId!).insert(ctx.db.table('async_log'), { title: `renamed to ${title}`, item_visible: true }, tx);
    });
  },
});

describe.each(JOB_MODES)('the event bus ($mode)', ({ mode, redis }) => {
  let platform: TestPlatform;
  let acme: Tenancy;
  let globex: Tenancy;

  const createItem = (tenant: Tenancy, title: string, failAfterEmit = false) =>
    platform.http.post('/api/v1/plugins/ev-source/items').set('Authorization', tenant.admin).send({ title, failAfterEmit });
  const count = (sql: string, bind: unknown[]) => countOf(platform.kernel, sql, bind);

  beforeAll(async () => {
    platform = await startTestPlatform({ redis, plugins: [source, listener], kernel: { jobBackoffMs: 100 } });
    acme = await createTenant(platform.kernel, 'acme');
    globex = await createTenant(platform.kernel, 'globex');
    for (const tenant of [acme, globex]) await platform.kernel.plugins.setEnabled(tenant.tenantId, 'ev-source', true);
    // Only acme enables the listener.
    await platform.kernel.plugins.setEnabled(acme.tenantId, 'ev-listener', true);
  });
  afterAll(() => platform?.close());

  it('runs sync hooks inside the emitting transaction and async handlers after it commits', async () => {
    const title = `${mode} kept`;
    const created = await createItem(acme, title);
    expect(created.status).toBe(201);

    const [job] = (await outboxRows(platform.kernel, ASYNC_JOB)).filter((row) => (row.payload as { payload: ItemCreated }).payload.title === title);
    await untilStatus(platform.kernel, job!.id, 'done');
    // The hook wrote in the very transaction that inserted the item.
    expect(await count('SELECT count(*) FROM ev_listener_hook_log h JOIN ev_source_items i USING (txid) WHERE i.id = $1', [created.body.id])).toBe(1);
    // The async handler ran once, in a later transaction that already saw the committed item.
    expect(await count('SELECT count(*) FROM ev_listener_async_log WHERE title = $1 AND item_visible', [title])).toBe(1);
    expect(await count('SELECT count(*) FROM ev_listener_async_log a JOIN ev_source_items i USING (txid) WHERE i.id = $1', [created.body.id])).toBe(0);
  });

  it('delivers a camelCase event, as manifests allow, to an async handler', async () => {
    expect((await platform.kernel.plugins.status('ev-listener')).state).toBe('installed');
    const created = await createItem(acme, `${mode} to rename`);
    const renamed = await platform.http
      .patch(`/api/v1/plugins/ev-source/items/${created.body.id}`)
      .set('Authorization', acme.admin)
      .send({ title: `${mode} renamed` });
    expect(renamed.status).toBe(200);
    const [job] = await outboxRows(platform.kernel, `ev-listener:on:${RENAMED}`);
    await untilStatus(platform.kernel, job!.id, 'done');
    expect(await count('SELECT count(*) FROM ev_listener_async_log WHERE title = $1', [`renamed to ${mode} renamed`])).toBe(1);
  });

  it('rolls back the business write, earlier hooks and the async job when a hook throws', async () => {
    const before = (await outboxRows(platform.kernel, ASYNC_JOB)).length;
    const vetoed = await createItem(acme, 'vetoed');
    expect(vetoed.status).toBe(409);
    expect(vetoed.body.error.message).toBe('ev-listener refuses this item');

    expect(await count('SELECT count(*) FROM ev_source_items WHERE title = $1', ['vetoed'])).toBe(0);
    expect(await count('SELECT count(*) FROM ev_listener_hook_log WHERE title = $1', ['vetoed'])).toBe(0);
    expect(await outboxRows(platform.kernel, ASYNC_JOB)).toHaveLength(before);
  });

  it('rolls back hook writes and the queued async job when the emitter fails after emitting', async () => {
    const title = `${mode} abandoned`;
    const before = (await outboxRows(platform.kernel, ASYNC_JOB)).length;
    const abandoned = await createItem(acme, title, true);
    expect(abandoned.status).toBe(409);
    expect(abandoned.body.error.message).toBe('ev-source gave up after emitting');

    expect(await count('SELECT count(*) FROM ev_source_items WHERE title = $1', [title])).toBe(0);
    expect(await count('SELECT count(*) FROM ev_listener_hook_log WHERE title = $1', [title])).toBe(0);
    expect(await outboxRows(platform.kernel, ASYNC_JOB)).toHaveLength(before);
  });

  it('gives a plugin disabled for a tenant neither hooks nor async handlers for that tenant', async () => {
    const created = await createItem(globex, `${mode} globex item`);
    expect(created.status).toBe(201);
    expect(await count('SELECT count(*) FROM ev_source_items WHERE tenant_id = $1', [globex.tenantId])).toBe(1);
    expect(await count('SELECT count(*) FROM ev_listener_hook_log WHERE tenant_id = $1', [globex.tenantId])).toBe(0);
    // Nothing was queued for it, so nothing can run later either.
    expect(await count('SELECT count(*) FROM outbox WHERE tenant_id = $1', [globex.tenantId])).toBe(0);
    // The veto hook is the listener's too: it does not apply where the listener is off.
    expect((await createItem(globex, 'vetoed')).status).toBe(201);
  });

  it('dead-letters a queued async job whose plugin the tenant disabled before it ran', async () => {
    const { kernel } = platform;
    const title = `${mode} queued then disabled`;
    await kernel.dispatcher.stop();
    try {
      expect((await createItem(acme, title)).status).toBe(201);
      const disabled = await platform.http.post('/api/v1/admin/plugins/ev-listener/disable').set('Authorization', acme.admin);
      expect(disabled.status).toBeLessThan(300);
    } finally {
      kernel.dispatcher.start();
    }
    try {
      const [job] = (await outboxRows(kernel, ASYNC_JOB)).filter((row) => (row.payload as { payload: ItemCreated }).payload.title === title);
      const dead = await untilStatus(kernel, job!.id, 'dead');
      expect(dead.attempts).toBe(dead.max_attempts);
      expect(dead.last_error).toBe('Plugin ev-listener is disabled for this tenant');
      const letters = await platform.http.get('/api/v1/admin/jobs/dead-letters').set('Authorization', acme.admin);
      expect(letters.body).toEqual([expect.objectContaining({ outbox_id: job!.id, name: ASYNC_JOB, error: 'Plugin ev-listener is disabled for this tenant' })]);
      expect(await count('SELECT count(*) FROM ev_listener_async_log WHERE title = $1', [title])).toBe(0);
    } finally {
      await kernel.plugins.setEnabled(acme.tenantId, 'ev-listener', true);
    }
  });
});
