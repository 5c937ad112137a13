import { status, type ServiceError } from '@grpc/grpc-js';
import { expect } from 'vitest';

/** How a gRPC call ended: its reply, or its status. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; code: status; details: string };

export async function settle<T>(call: Promise<T>): Promise<CallOutcome<T>> {
  try {
    return { ok: true, value: await call };
  } catch (e) {
    const err = e as Partial<ServiceError>;
    if (typeof err.code !== 'number') throw e;
    return { ok: false, code: err.code, details: err.details ?? '' };
  }
}

/** Deadline of each bad request: a refusal comes in milliseconds, so running into it means a hang. */
export const BAD_REQUEST_DEADLINE_MS = 5000;

/**
 * Statuses that refuse a client's request. Never INTERNAL (an unhandled
 * error), UNAVAILABLE (a pool thread died), DEADLINE_EXCEEDED (a hang) or
 * UNKNOWN, and never OK.
 */
const REFUSALS = new Set([status.INVALID_ARGUMENT, status.NOT_FOUND, status.UNIMPLEMENTED, status.RESOURCE_EXHAUSTED, status.OUT_OF_RANGE]);

/** A bad request was refused: a client-error status and a message that says something. */
export function expectRefused(outcome: CallOutcome<unknown>, what: string): { code: status; details: string } {
  if (outcome.ok) throw new Error(`${what}: expected a refusal, got OK: ${JSON.stringify(outcome.value, replacer)?.slice(0, 300)}`);
  expect(REFUSALS.has(outcome.code), `${what}: status ${status[outcome.code]} (${outcome.code}) "${outcome.details}"`).toBe(true);
  expect(outcome.details.trim(), `${what}: an empty message with status ${status[outcome.code]}`).not.toBe('');
  return outcome;
}

/** A request was refused with this code and a message matching `message`. */
export function expectRefusedWith(outcome: CallOutcome<unknown>, what: string, code: status, message: RegExp | string): void {
  const r = expectRefused(outcome, what);
  expect({ code: status[r.code], details: r.details }, what).toEqual({
    code: status[code],
    details: typeof message === 'string' ? message : expect.stringMatching(message),
  });
}

function replacer(_: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}
