/** Polls until `read()` reaches `target`; fails with `describe()` when the time is up. */
export async function waitForCount(
  read: () => Promise<number>,
  target: number,
  options: { timeoutMs: number; intervalMs: number; describe: () => Promise<string> },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while ((await read()) < target) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${target}: ${await options.describe()}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
