/** A start-up problem the operator can fix: shown as its message alone, which says what to do. */
export class StartupError extends Error {
  override name = 'StartupError';
}
