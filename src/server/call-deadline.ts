import type { ServerUnaryCall } from '@grpc/grpc-js';
import type { CallDeadline } from '../pool/pool-task.js';

/**
 * The call's deadline: the client's, else now + the configured default. What
 * it allowed is taken from the same clock reading, so a DEADLINE_EXCEEDED
 * message names the budget the call had, not what was left a moment later.
 */
export function callDeadline(call: ServerUnaryCall<unknown, unknown>, defaultMs: number): CallDeadline {
  const now = Date.now();
  const d = call.getDeadline();
  const ms = d instanceof Date ? d.getTime() : d;
  return Number.isFinite(ms) ? { at: ms, allowedMs: ms - now } : { at: now + defaultMs, allowedMs: defaultMs };
}
