export interface QueueRunSettings {
  redisUrl: string;
  /** Redis key prefix, unique to this run. */
  prefix: string;
  jobs: number;
  batchSize: number;
  timeoutMs: number;
}
