import { expect } from 'vitest';
import { RemoteError } from '../../src/remote/remote-error.js';

export interface ExpectedFailure {
  source: string;
  /** "127.0.0.1:port" the error must name. */
  server: string;
  /** The read must fail within this many ms of starting (plus however late this machine runs timers). */
  withinMs: number;
  timedOut?: boolean;
  /** Text the message must contain. */
  says?: string | RegExp;
}

/** Starts `read` now; it must reject with a RemoteError naming source and server, in time. */
export async function expectRemoteFailure(read: () => Promise<unknown>, expected: ExpectedFailure): Promise<RemoteError> {
  const started = performance.now();
  // A timer of the allowed length, started with the read: if this machine is
  // so busy that timers fire late, the read's own timer is late by as much.
  const reference = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now() - started - expected.withinMs), expected.withinMs));
  const outcome = await read().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const elapsed = performance.now() - started;
  const timersLateBy = elapsed > expected.withinMs ? Math.max(0, await reference) : 0;
  if (!('error' in outcome)) throw new Error(`expected the read to fail, it gave ${JSON.stringify(outcome.value)}`);
  const error = outcome.error;
  expect(error).toBeInstanceOf(RemoteError);
  const remote = error as RemoteError;
  expect(remote.source).toBe(expected.source);
  expect(remote.server).toContain(expected.server);
  expect(remote.message).toContain(`remote source "${expected.source}"`);
  expect(remote.message).toContain(expected.server);
  if (expected.timedOut !== undefined) expect(remote.timedOut, remote.message).toBe(expected.timedOut);
  if (expected.says !== undefined) expect(remote.message).toMatch(expected.says);
  expect(elapsed, `failed after ${elapsed.toFixed(1)} ms (timers ran ${timersLateBy.toFixed(1)} ms late): ${remote.message}`).toBeLessThanOrEqual(
    expected.withinMs + timersLateBy,
  );
  return remote;
}
