import { status } from '@grpc/grpc-js';

/**
 * A request the server refuses, with the gRPC status to answer it with.
 * Thrown in pool threads; the server turns `code` and `message` into the
 * call's status, so the message must say exactly what was wrong.
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export function invalidArgument(message: string): RequestError {
  return new RequestError(status.INVALID_ARGUMENT, message);
}
