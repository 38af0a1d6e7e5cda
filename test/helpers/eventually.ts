/** Waiting in tests: polling until something holds, and plain pauses. */

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `check` every `everyMs` until it returns a value other than `undefined` or `false`, and returns that
 * value. A check that throws is tried again (a server still starting, a row not written yet). After `timeoutMs`
 * it fails naming `what` (a function is asked only then, so it can describe the last thing it saw) and the last
 * error the check threw.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  // The monotonic clock: a wall clock set forward mid-wait must not end it early.
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  while (performance.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(everyMs);
  }
  const described = typeof what === 'function' ? what() : what;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}
