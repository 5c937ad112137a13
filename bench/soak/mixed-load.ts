import type { RankdChild } from '../../test/support/rankd-child.js';
import { encodeRankRequest } from '../../src/rpc/rank-request.js';
import { type CallKind, CallRecorder } from './call-recorder.js';
import { paced } from './paced.js';

/**
 * Callers of each kind and how often each starts a call: up to 200 Rank,
 * 50 Call and 40 slow calls a second, a steady load below what this 2-core
 * machine can serve, so latencies show the updates rather than queueing.
 */
const MIX: { kind: CallKind; callers: number; periodMs: number }[] = [
  { kind: 'rank', callers: 2, periodMs: 10 },
  { kind: 'call', callers: 1, periodMs: 20 },
  { kind: 'slow', callers: 2, periodMs: 50 },
];
const CANDIDATES = 100;
const FEATURES = 20;

/**
 * The soak's traffic: typed Rank (100 candidates × 20 features), JSON Call
 * of the rank work (20 candidates), and the slow api, each at a steady pace,
 * every call recorded with its start and end on the soak's clock.
 */
export function startMixedLoad(rankd: RankdChild, recorder: CallRecorder, clock: () => number): { stop(): Promise<void> } {
  let stopped = false;
  const next = Math.random;
  const rankRequests = Array.from({ length: 16 }, () => rankRequest(next));
  const callBodies = Array.from({ length: 16 }, () => callBody(next));
  let n = 0;
  const send: Record<CallKind, () => Promise<unknown>> = {
    rank: () => rankd.rank.rankBytes(rankRequests[n++ % rankRequests.length]!, 5000),
    call: () => rankd.rank.call(callBodies[n++ % callBodies.length]!, 5000),
    slow: () => rankd.rank.call('{"api":"slow"}', 5000),
  };
  const loops = MIX.flatMap(({ kind, callers, periodMs }) =>
    Array.from({ length: callers }, () =>
      paced(periodMs, () => stopped, async () => {
        const start = clock();
        try {
          await send[kind]();
          recorder.ok(kind, start, clock());
        } catch (e) {
          recorder.fail(clock(), e as Error);
        }
      }),
    ),
  );
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

function rankRequest(next: () => number): Uint8Array {
  return encodeRankRequest({
    userId: Math.floor(next() * 2 ** 40),
    userFeatureIds: Uint32Array.from({ length: 10 }, () => Math.floor(next() * 2 ** 32)),
    userFeatureValues: Float32Array.from({ length: 10 }, () => next()),
    candidates: {
      itemIds: Float64Array.from({ length: CANDIDATES }, () => 1 + Math.floor(next() * 2 ** 40)),
      featureOffsets: Uint32Array.from({ length: CANDIDATES + 1 }, (_, i) => i * FEATURES),
      featureIds: Uint32Array.from({ length: CANDIDATES * FEATURES }, () => Math.floor(next() * 2 ** 32)),
      featureValues: Float32Array.from({ length: CANDIDATES * FEATURES }, () => next()),
    },
    topK: 20,
  });
}

function callBody(next: () => number): string {
  const candidates = Array.from({ length: 20 }, () => ({
    id: String(1 + Math.floor(next() * 2 ** 40)),
    features: Object.fromEntries(Array.from({ length: 5 }, () => [String(Math.floor(next() * 2 ** 32)), next()])),
  }));
  return JSON.stringify({ api: 'rank', uid: String(Math.floor(next() * 2 ** 40)), candidates });
}

