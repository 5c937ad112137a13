/**
 * The hand-written query codecs against protobufjs (the generic decoder a
 * server would otherwise use) on a typical request: 200 candidates × 50
 * features, 100 user features, and a 50-item reply with explain scores.
 *
 *   npm run build && bash scripts/bench.sh bench/rpc-codecs.ts [--quick]
 */
import Long from 'long';
import protobuf from 'protobufjs';
import { protoFile } from '../src/rpc/proto-file.js';
import { decodeRankRequest, encodeRankRequest } from '../src/rpc/rank-request.js';
import { encodeRankResponse, type RankResult } from '../src/rpc/rank-response.js';

protobuf.util.Long = Long;
protobuf.configure();

const quick = process.argv.includes('--quick');
const CANDIDATES = 200;
const FEATURES = 50;
const USER_FEATURES = 100;
const RETURNED = 50;

function randomIds(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 8; // hashed feature ids: mostly 3–4 byte varints
  }
  return out;
}

function randomValues(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000);
}

const offsets = Uint32Array.from({ length: CANDIDATES + 1 }, (_, k) => k * FEATURES);
const request = encodeRankRequest({
  api: 'rank',
  userId: 1234567890123,
  userFeatureIds: randomIds(USER_FEATURES, 1),
  userFeatureValues: randomValues(USER_FEATURES),
  candidates: {
    itemIds: Float64Array.from({ length: CANDIDATES }, (_, k) => 4_000_000_000_000 + k),
    featureOffsets: offsets,
    featureIds: randomIds(CANDIDATES * FEATURES, 2),
    featureValues: randomValues(CANDIDATES * FEATURES),
  },
  topK: RETURNED,
  requestId: 'bench-request-0001',
});

const result: RankResult = {
  itemIds: Float64Array.from({ length: CANDIDATES }, (_, k) => 4_000_000_000_000 + k),
  scores: Float64Array.from({ length: CANDIDATES }, (_, k) => 1 / (k + 1)),
  order: Uint32Array.from({ length: RETURNED }, (_, i) => i),
  plan: '3',
  generation: 17,
  requestId: 'bench-request-0001',
  algorithms: ['lr', 'fm'],
  timings: [
    { stage: 'decode', ms: 0.05 },
    { stage: 'score', ms: 0.4 },
  ],
  algorithmScores: [Float64Array.from({ length: CANDIDATES }, Math.random), Float64Array.from({ length: CANDIDATES }, Math.random)],
};

const root = protobuf.loadSync(protoFile());
const RankRequest = root.lookupType('rankd.v1.RankRequest');
const RankResponse = root.lookupType('rankd.v1.RankResponse');
const responseObject = RankResponse.fromObject({
  items: Array.from(result.order, (k) => ({
    itemId: result.itemIds[k],
    score: result.scores[k],
    algorithmScores: result.algorithmScores!.map((s) => s[k]),
  })),
  plan: result.plan,
  generation: result.generation,
  requestId: result.requestId,
  algorithms: result.algorithms,
  timings: result.timings,
});

/** Mean microseconds per call over a timed run, after a warm-up. */
function measure(name: string, fn: () => unknown): number {
  const iterations = quick ? 2_000 : 20_000;
  for (let i = 0; i < iterations / 4; i++) fn();
  globalThis.gc?.();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const us = Number(process.hrtime.bigint() - start) / 1000 / iterations;
  console.log(`${name.padEnd(44)} ${us.toFixed(2).padStart(8)} µs/op`);
  return us;
}

console.log(`request ${request.length} bytes (${CANDIDATES} candidates × ${FEATURES} features); reply of ${RETURNED} items\n`);
const ours = measure('decodeRankRequest (typed columns)', () => decodeRankRequest(request, { maxCandidates: 10_000 }));
const theirs = measure('protobufjs RankRequest.decode (objects)', () => RankRequest.decode(request));
console.log(`${''.padEnd(44)} ${(theirs / ours).toFixed(1).padStart(8)} × faster\n`);
const encOurs = measure('encodeRankResponse', () => encodeRankResponse(result));
const encTheirs = measure('protobufjs RankResponse.encode', () => RankResponse.encode(responseObject).finish());
console.log(`${''.padEnd(44)} ${(encTheirs / encOurs).toFixed(1).padStart(8)} × faster`);
