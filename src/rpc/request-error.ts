import { status } from '@grpc/grpc-js';

/**
 * A request the server refuses, with the gRPC status to answer it with.
 * Thrown in pool threads; the server turns `code` and `message` into the
 * call's status, so the message must say exactly what was wrong.
 */
/** Marks request errors across copies of this module (Symbol.for is shared by every copy). */
const REQUEST_ERROR = Symbol.for('rankd.RequestError');

export class RequestError extends Error {
  override readonly name = 'RequestError';
  readonly [REQUEST_ERROR] = true;

  constructor(
    readonly code: status,
    message: string,
    /** The api the request named, when it got that far (for metrics and logs). */
    readonly api = '',
  ) {
    super(message);
  }
}

export function invalidArgument(message: string): RequestError {
  return new RequestError(status.INVALID_ARGUMENT, message);
}

/**
 * True for a RequestError (or subclass, e.g. RemoteError) from any copy of
 * this module: works are compiled on load from source, so theirs is not the
 * class the engine was built with.
 */
export function isRequestError(e: unknown): e is RequestError {
  return e instanceof Error && (e as unknown as Record<symbol, unknown>)[REQUEST_ERROR] === true && typeof (e as RequestError).code === 'number';
}
