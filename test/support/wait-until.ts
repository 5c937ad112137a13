export interface WaitOptions {
  /** Give up after this long. */
  timeoutMs?: number;
  /** Pause between attempts. */
  intervalMs?: number;
  /** Checked before each attempt: a reason to stop early (e.g. the daemon exited). */
  abortReason?: () => string | undefined;
}

/**
 * Polls `attempt` until it returns a value other than undefined/false, or
 * throws after the deadline with the last error seen, so a service that never
 * comes up fails the test with a reason instead of hanging it.
 */
export async function waitUntil<T>(
  what: string,
  attempt: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 50, abortReason } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = abortReason?.();
    if (reason !== undefined) throw new Error(`${what}: ${reason}`);
    try {
      const result = await attempt();
      if (result !== undefined && result !== false) return result;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`${what}: not ready after ${timeoutMs} ms${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
