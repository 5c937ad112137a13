import type { ServerUnaryCall } from '@grpc/grpc-js';

/** The call's deadline as epoch ms: the client's, else now + the configured default. */
export function callDeadline(call: ServerUnaryCall<unknown, unknown>, defaultMs: number): number {
  const d = call.getDeadline();
  const ms = d instanceof Date ? d.getTime() : d;
  return Number.isFinite(ms) ? ms : Date.now() + defaultMs;
}
