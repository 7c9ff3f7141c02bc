import type { JobDefinition, QueueName } from './job-types.js';
import { QUEUES } from './job-types.js';

// Async event handlers are jobs named `<plugin>:on:<event>`, and event names may be camelCase
// after their first segment (see the manifest), so the part after the owner allows capitals.
const JOB_NAME = /^[a-z][a-z0-9-]*:[a-z][a-zA-Z0-9.:-]*$/;

export class JobRegistry {
  private readonly definitions = new Map<string, JobDefinition>();

  define(definition: Omit<JobDefinition, 'queue' | 'maxAttempts'> & { queue?: QueueName; maxAttempts?: number }): void {
    if (!JOB_NAME.test(definition.name)) throw new Error(`Invalid job name ${definition.name}: use <owner>:<job>`);
    if (this.definitions.has(definition.name)) throw new Error(`Job ${definition.name} is defined twice`);
    const queue = definition.queue ?? 'default';
    if (!QUEUES.includes(queue)) throw new Error(`Unknown queue ${queue}`);
    this.definitions.set(definition.name, { ...definition, queue, maxAttempts: definition.maxAttempts ?? 5 });
  }

  get(name: string): JobDefinition | undefined {
    return this.definitions.get(name);
  }

  /** Forgets every job of a plugin (uninstall). */
  removeOwnedBy(pluginId: string): void {
    for (const [name, definition] of this.definitions) {
      if (definition.pluginId === pluginId) this.definitions.delete(name);
    }
  }
}
