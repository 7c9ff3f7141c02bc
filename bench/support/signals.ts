const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Makes `onSignal` the only SIGINT/SIGTERM handler, so that no other handler ends the process
 * before the benchmark's asynchronous cleanup has finished.
 */
export function handleShutdownSignals(onSignal: (signal: string) => void): void {
  for (const signal of SHUTDOWN_SIGNALS) {
    process.removeAllListeners(signal);
    process.once(signal, () => onSignal(signal));
  }
}
