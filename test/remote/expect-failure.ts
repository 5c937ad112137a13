import { expect } from 'vitest';
import { RemoteError } from '../../src/remote/remote-error.js';

export interface ExpectedFailure {
  source: string;
  /** "127.0.0.1:port" the error must name. */
  server: string;
  /** The read must fail within this many ms of starting. */
  withinMs: number;
  timedOut?: boolean;
  /** Text the message must contain. */
  says?: string | RegExp;
}

/** Starts `read` now; it must reject with a RemoteError naming source and server, in time. */
export async function expectRemoteFailure(read: () => Promise<unknown>, expected: ExpectedFailure): Promise<RemoteError> {
  const started = performance.now();
  const outcome = await read().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const elapsed = performance.now() - started;
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
  expect(elapsed, `failed after ${elapsed.toFixed(1)} ms: ${remote.message}`).toBeLessThanOrEqual(expected.withinMs);
  return remote;
}
