import type { Transaction } from '../db/database.js';
import type { JobQueue } from '../jobs/outbox.js';
import type { JobRegistry } from '../jobs/job-registry.js';

/**
 * Event payloads by name (`<plugin>.<noun>.<pastTense>`). Plugins add theirs by declaration
 * merging: `declare module '…/core/plugin-api.js' { interface EventMap { 'x.y.z': {...} } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface EventMap {}

export type EventName = keyof EventMap extends never ? string : (keyof EventMap & string) | string;
export type EventPayload<N extends string> = N extends keyof EventMap ? EventMap[N] : unknown;

export interface EventContext {
  tenantId: string;
  transaction?: Transaction;
}

type Hook = (payload: unknown, context: EventContext) => Promise<void> | void;

interface HookEntry {
  pluginId: string;
  priority: number;
  hook: Hook;
}

interface AsyncSubscriber {
  pluginId: string;
  jobName: string;
}

export interface EventBusDeps {
  jobs: JobQueue;
  jobRegistry: JobRegistry;
  isPluginEnabled(tenantId: string, pluginId: string, transaction?: Transaction): Promise<boolean>;
}

/**
 * Plugin-to-plugin events. Sync hooks run in priority order inside the emitter's transaction (a
 * throwing hook aborts the write); async handlers are jobs written to the outbox in the same
 * transaction, so they run once the write has committed and never if it rolls back.
 */
export type AsyncHandler = (payload: unknown, job: { id: string; tenantId: string | null }, tx: Transaction) => Promise<void>;

export class EventBus {
  private readonly hooks = new Map<string, HookEntry[]>();
  private readonly subscribers = new Map<string, AsyncSubscriber[]>();

  constructor(private readonly deps: EventBusDeps) {}

  on(pluginId: string, event: string, hook: Hook, priority = 0): void {
    const entries = [...(this.hooks.get(event) ?? []), { pluginId, priority, hook }];
    this.hooks.set(event, entries.sort((a, b) => b.priority - a.priority));
  }

  /**
   * Declares an async handler: a job named `<plugin>:on:<event>` receiving `{ event, payload }`;
   * `batch` as for jobs (JobDefinition.batch).
   */
  onAsync(pluginId: string, event: string, handler: AsyncHandler, options: { batch?: boolean } = {}): void {
    const jobName = `${pluginId}:on:${event}`;
    this.deps.jobRegistry.define({
      name: jobName,
      pluginId,
      batch: options.batch,
      handler: (job, tx) => handler((job.payload as { payload: unknown }).payload, job, tx),
    });
    this.subscribers.set(event, [...(this.subscribers.get(event) ?? []), { pluginId, jobName }]);
  }

  async emit(event: string, payload: unknown, context: EventContext): Promise<void> {
    for (const entry of this.hooks.get(event) ?? []) {
      if (await this.deps.isPluginEnabled(context.tenantId, entry.pluginId, context.transaction)) await entry.hook(payload, context);
    }
    const jobs = [];
    for (const subscriber of this.subscribers.get(event) ?? []) {
      if (await this.deps.isPluginEnabled(context.tenantId, subscriber.pluginId, context.transaction)) {
        jobs.push({ name: subscriber.jobName, payload: { event, payload } });
      }
    }
    await this.deps.jobs.enqueueMany(jobs, { tenantId: context.tenantId, transaction: context.transaction });
  }

  removeOwnedBy(pluginId: string): void {
    for (const [event, entries] of this.hooks) this.hooks.set(event, entries.filter((entry) => entry.pluginId !== pluginId));
    for (const [event, entries] of this.subscribers) {
      this.subscribers.set(event, entries.filter((entry) => entry.pluginId !== pluginId));
    }
  }
}
