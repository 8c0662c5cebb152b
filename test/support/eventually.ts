/**
 * Waiting in tests for something another process does: `within` polls a probe until it holds and
 * says how long that took, or fails after the limit.
 */
export async function within(ms: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await probe()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`not seen within ${ms} ms`);
}
