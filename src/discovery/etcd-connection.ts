import { createRequire } from 'node:module';
import type { Etcd3, IOptions } from 'etcd3';

/**
 * etcd3 (CommonJS) is loaded on the first connection, not on import: pool
 * threads register the etcd resolver for peer sources, and should not pay
 * its ~140 ms of loading unless a peer's target actually is in etcd.
 */
const require = createRequire(import.meta.url);
let etcd3: typeof import('etcd3') | undefined;

type FaultHandling = NonNullable<IOptions['faultHandling']>;
type Policy = ReturnType<NonNullable<FaultHandling['host']>>;
type WatchBackoff = NonNullable<FaultHandling['watchBackoff']>;

export interface EtcdConnectionOptions {
  /** Deadline of each unary etcd call (get, put, grant, revoke). */
  callTimeoutMs?: number;
  /** Longest pause between reconnection attempts, for both calls and watches. */
  maxReconnectMs?: number;
}

/**
 * An etcd client tuned for discovery, where recovering soon after etcd
 * returns matters more than sparing it retries:
 * - etcd3's default per-host circuit breaker refuses every call for 5 s after
 *   three failures, and its default retry triples each failure; rankd's
 *   registrar and resolver retry on their own schedule, so both are off;
 * - grpc-js reconnects with a backoff up to 120 s, and etcd3 grows the watch
 *   reconnect delay up to 30 s; both are capped at `maxReconnectMs`;
 * - unary calls get a deadline, so a call to an unreachable etcd fails
 *   instead of hanging.
 */
export function connectEtcd(endpoints: string | readonly string[], options: EtcdConnectionOptions = {}): Etcd3 {
  const { callTimeoutMs = 3000, maxReconnectMs = 1000 } = options;
  const hosts = (typeof endpoints === 'string' ? endpoints.split(',') : [...endpoints]).map((host) => host.trim()).filter((host) => host !== '');
  if (hosts.length === 0) throw new Error('no etcd endpoints given');
  etcd3 ??= require('etcd3') as typeof import('etcd3');
  return new etcd3.Etcd3({
    hosts,
    faultHandling: { host: () => passThrough, global: passThrough, watchBackoff: cappedWatchBackoff(100, maxReconnectMs) },
    grpcOptions: {
      'grpc.initial_reconnect_backoff_ms': Math.min(100, maxReconnectMs),
      'grpc.max_reconnect_backoff_ms': maxReconnectMs,
    },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeoutMs }),
  });
}

/** A fault-handling policy that runs the call once: cockatiel's `noop`, without importing etcd3's dependency. */
const passThrough = {
  execute: <T>(fn: (context: { signal: AbortSignal; attempt: number }) => PromiseLike<T> | T): Promise<T> =>
    Promise.resolve().then(() => fn({ signal: new AbortController().signal, attempt: 0 })),
} as unknown as Policy;

/** The watch reconnect backoff in cockatiel's shape: doubling from `initialMs`, at most `maxMs`. */
function cappedWatchBackoff(initialMs: number, maxMs: number): WatchBackoff {
  const step = (durationMs: number): WatchBackoff =>
    ({ duration: durationMs, next: () => step(Math.min(maxMs, durationMs * 2)) }) as unknown as WatchBackoff;
  return { next: () => step(Math.min(initialMs, maxMs)) } as unknown as WatchBackoff;
}
