import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

/** A request-path command that takes longer fails, and its caller falls back (in-process limits, no cache). */
const COMMAND_TIMEOUT_MS = 1000;

const CONNECTION_FAILURE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|EPIPE|Connection is closed|Stream isn't writeable|Command timed out/i;

/** Whether an error only says that Redis cannot be reached (reported once by RedisConnections). */
export function isConnectionFailure(error: Error): boolean {
  return CONNECTION_FAILURE.test(error.message) || CONNECTION_FAILURE.test(String((error as { code?: unknown }).code ?? ''));
}

/** Reconnects forever, backing off to one attempt every 2 s; /ready tells the outage meanwhile. */
const reconnecting: RedisOptions = {
  retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  connectTimeout: 5000,
};

/**
 * osv's clients of one Redis. Requests (rate limits, caches, readiness) and queue producers use
 * clients that never hold a command while Redis is away (no offline queue, a short command
 * timeout), so they fail at once and the caller degrades instead of hanging. BullMQ's workers get
 * their own blocking connections, which wait for Redis to return (`maxRetriesPerRequest: null`).
 * Redis going away and coming back is logged once each.
 */
export class RedisConnections {
  /** Rate limits, caches, readiness. */
  readonly commands: Redis;
  /** BullMQ queues (adding jobs). */
  readonly queue: Redis;
  private readonly workerClients = new Set<Redis>();
  private down = false;
  private closed = false;
  private lastError = 'not connected yet';

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {
    const failFast: RedisOptions = { ...reconnecting, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: COMMAND_TIMEOUT_MS };
    this.commands = this.watched(new Redis(url, failFast), { reportsOutages: true });
    this.queue = this.watched(new Redis(url, failFast), { reportsOutages: false });
  }

  /** Whether Redis answers now; callers skip it (or use their in-process fallback) when not. */
  get available(): boolean {
    return this.commands.status === 'ready';
  }

  /** Resolves when Redis answers; fails at once, saying why, while it is unreachable. */
  async ping(): Promise<void> {
    if (!this.available) throw new Error(`unreachable (${this.lastError})`);
    await this.commands.ping();
  }

  /** A new blocking connection for a BullMQ worker: its commands wait for Redis to come back. */
  workerConnection(): Redis {
    const client = this.watched(new Redis(this.url, { ...reconnecting, maxRetriesPerRequest: null }), { reportsOutages: false });
    this.workerClients.add(client);
    return client;
  }

  /** Drops every connection at once; commands still waiting fail with "Connection is closed". */
  disconnect(): void {
    this.closed = true;
    for (const client of [this.commands, this.queue, ...this.workerClients]) client.disconnect();
  }

  /**
   * Every client needs an error listener (ioredis prints each failed reconnection with its stack
   * otherwise); one of them reports the outage and the recovery, once each.
   */
  private watched(client: Redis, options: { reportsOutages: boolean }): Redis {
    client.on('error', (error: Error) => {
      if (!options.reportsOutages) return;
      this.lastError = error.message;
      this.markDown();
    });
    if (options.reportsOutages) {
      client.on('close', () => {
        if (!this.down) this.lastError = 'connection lost';
        this.markDown();
      });
      client.on('ready', () => this.markUp());
    }
    return client;
  }

  private markDown(): void {
    if (this.down || this.closed) return;
    this.down = true;
    this.log.warn({ reason: this.lastError }, 'redis unavailable: rate limits run in-process, caches are skipped and jobs wait in the outbox until it returns');
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info('redis available again');
  }
}
