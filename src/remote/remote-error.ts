import { status } from '@grpc/grpc-js';
import { RequestError } from '../rpc/request-error.js';

export interface RemoteFailure {
  /** Source name (section of db_config.ini). */
  source: string;
  /** Source type (redis, http…), for the message. */
  type?: string;
  /** "host:port" (or the discovery target) when the failure is one server's. */
  server?: string;
  /** The read ran out of time (the source's timeout_ms or the request deadline). */
  timedOut: boolean;
  /** What went wrong, without the location. */
  reason: string;
  cause?: unknown;
}

/**
 * A failed remote read, naming the source and the server it was reading
 * from: `remote source "item_features" (redis 127.0.0.1:6379): timed out after 50 ms`.
 * It is a RequestError, so a work that lets it through fails its call with
 * DEADLINE_EXCEEDED (timeouts) or UNAVAILABLE (everything else).
 */
export class RemoteError extends RequestError {
  readonly source: string;
  readonly server: string | undefined;
  readonly timedOut: boolean;
  readonly reason: string;

  constructor(failure: RemoteFailure) {
    const where = [failure.type, failure.server].filter((part) => part !== undefined).join(' ');
    super(
      failure.timedOut ? status.DEADLINE_EXCEEDED : status.UNAVAILABLE,
      `remote source "${failure.source}"${where === '' ? '' : ` (${where})`}: ${failure.reason}`,
    );
    // RequestError fixes its name's type; stack traces should still say what this is.
    Object.defineProperty(this, 'name', { value: 'RemoteError' });
    this.source = failure.source;
    this.server = failure.server;
    this.timedOut = failure.timedOut;
    this.reason = failure.reason;
    if (failure.cause !== undefined) this.cause = failure.cause;
  }
}
