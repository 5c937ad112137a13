/**
 * A closed-loop load generator for in-process reads: `concurrency` reads
 * always in flight for a fixed time. A read is any async function of the
 * request number, so the same loop measures a remote source directly, a
 * baseline client, or (later) a whole work.
 */
import type { LoadResult } from '../engine/rank-load.js';

export type Read = (request: number) => Promise<unknown>;

export interface ReadLoadResult extends LoadResult {
  /** This process's CPU time per successful read, in µs: what the client side costs, busy machine or not. */
  clientCpuUs: number;
}

export async function runReadLoad(read: Read, concurrency: number, durationMs: number): Promise<ReadLoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const end = performance.now() + durationMs;
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await read(next++);
          latencies.push(performance.now() - t);
        } catch (err) {
          failed++;
          firstError ??= (err as Error).message;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    calls: latencies.length + failed,
    failed,
    rps: latencies.length / seconds,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    firstError,
    clientCpuUs: (used.user + used.system) / Math.max(1, latencies.length),
  };
}
