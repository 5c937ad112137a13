/**
 * A closed-loop load generator: `concurrency` calls always in flight, for a
 * fixed time, over pre-encoded request bytes (so the generator itself costs
 * as little CPU as possible on this shared 2-core machine).
 */
import { credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import { QUERY_WINDOW_BYTES } from '../../src/server/http2-windows.js';
import { rankServiceDefinition } from '../../src/server/query-server.js';

export interface LoadResult {
  calls: number;
  failed: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  firstError?: string;
}

type Unary = (req: Buffer, md: Metadata, opts: object, cb: (e: ServiceError | null, r: Buffer) => void) => void;

export function rankLoadClient(address: string) {
  const Client = makeGenericClientConstructor(rankServiceDefinition, 'Rank');
  return new Client(address, credentials.createInsecure(), {
    'grpc.max_send_message_length': 64 << 20,
    // Replies arrive without waiting for WINDOW_UPDATEs, as with rankd's own client.
    'grpc-node.flow_control_window': QUERY_WINDOW_BYTES,
  }) as unknown as {
    Rank: Unary;
    close(): void;
  };
}

export async function runLoad(
  client: ReturnType<typeof rankLoadClient>,
  requests: readonly Buffer[],
  concurrency: number,
  durationMs: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const end = performance.now() + durationMs;
  const one = () =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      client.Rank(requests[next++ % requests.length]!, new Metadata(), { deadline: Date.now() + 5000 }, (e) => {
        if (e) {
          failed++;
          firstError ??= `${e.code}: ${e.details}`;
        } else latencies.push(performance.now() - t);
        resolve();
      });
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { calls: latencies.length + failed, failed, rps: latencies.length / seconds, p50Ms: q(0.5), p99Ms: q(0.99), firstError };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
