import type { ServiceError } from '@grpc/grpc-js';

/** Runs a call that must fail; resolves with its gRPC error and how long it took. */
export async function failedCall(call: () => Promise<unknown>): Promise<{ error: ServiceError; ms: number }> {
  const started = performance.now();
  const error = await call().then(
    (reply) => {
      throw new Error(`expected a failure, got ${JSON.stringify(reply)}`);
    },
    (e: ServiceError) => e,
  );
  return { error, ms: performance.now() - started };
}
