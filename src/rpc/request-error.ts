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
    super(transmittable(message));
  }
}

/** Most bytes a message may take percent-encoded: clients refuse larger headers (C-core's default limit is 8 KiB). */
const MAX_ENCODED_BYTES = 4096;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * gRPC sends the message percent-encoded in a header. A lone surrogate (a
 * JSON.parse error quotes half an emoji: "Unexpected token '\ud83d'") made
 * the encoding throw: the call was never answered and the server process
 * died. A message echoing a 100 kB api name was sent, and the client
 * dropped the header and waited for its deadline. So lone surrogates become
 * U+FFFD, and a message too long for a header is cut.
 */
function transmittable(message: string): string {
  const text = message.replace(LONE_SURROGATE, '\ufffd');
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Printable ASCII as is; else %XX per UTF-8 byte (a surrogate is half of a 4-byte character).
    bytes += c >= 0x20 && c < 0x7f ? 1 : c < 0x80 ? 3 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 6 : 9;
    if (bytes > MAX_ENCODED_BYTES) {
      const end = c >= 0xdc00 && c < 0xe000 ? i - 1 : i;
      return `${text.slice(0, end)}… (${text.length - end} more characters)`;
    }
  }
  return text;
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
