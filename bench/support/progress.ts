/** Human-readable progress goes to stderr; stdout carries only the final JSON line. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
