import express, { type Router } from 'express';
import type { Kernel } from '../kernel.js';

const CHECK_TIMEOUT_MS = 2000;

async function check(probe: () => Promise<unknown>): Promise<'ok' | string> {
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
    ]);
    return 'ok';
  } catch (error) {
    return `failing: ${(error as Error).message}`;
  }
}

/** `/health`: the process is up. `/ready`: it can serve (database, Redis, queue). `/metrics`: Prometheus. */
export function healthRoutes(kernel: Kernel): Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const checks = {
      database: await check(() => kernel.db.query('SELECT 1')),
      redis: kernel.redis ? await check(() => kernel.redis!.ping()) : 'not configured',
      queue: kernel.transport ? await check(() => kernel.transport!.ping()) : 'in-process',
    };
    const ready = Object.values(checks).every((value) => !value.startsWith('failing'));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(kernel.metrics.registry.contentType).send(await kernel.metrics.registry.metrics());
  });
  return router;
}
