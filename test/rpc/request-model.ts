import fc from 'fast-check';
import type { RankBatch } from '../../src/rpc/rank-request.js';
import { toLong } from './reference-proto.js';

/**
 * A RankRequest as plain values, the common ground between protobufjs, the
 * hand-written codecs and the expectations in tests.
 */
export interface RequestModel {
  api: string;
  userId: bigint;
  userFeatureIds: number[];
  userFeatureValues: number[];
  candidates: { itemId: bigint; featureIds: number[]; featureValues: number[] }[];
  topK: number;
  requestId: string;
  wantTimings: boolean;
  explain: boolean;
}

export const UINT64_EDGES = [0n, 1n, 127n, 128n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];

export const uint64 = fc.oneof(
  fc.constantFrom(...UINT64_EDGES),
  fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
);
/** Mostly ids below 2^53, the common case, so the Float64Array path is exercised too. */
const itemId = fc.oneof({ weight: 5, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }) }, { weight: 1, arbitrary: uint64 });
const uint32 = fc.oneof(fc.constantFrom(0, 1, 127, 128, 2 ** 31, 2 ** 32 - 1), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
/** float32 values, -0 and subnormals included; NaN and infinities are rejected by the server. */
const float32 = fc.float({ noNaN: true, noDefaultInfinity: true });
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ minLength: 30, maxLength: 80 }));

const features = (maxLength: number) =>
  fc
    .array(fc.tuple(uint32, float32), { maxLength })
    .map((pairs) => ({ featureIds: pairs.map((p) => p[0]), featureValues: pairs.map((p) => p[1]) }));

export const requestModel: fc.Arbitrary<RequestModel> = fc
  .record({
    api: text,
    userId: uint64,
    user: features(12),
    candidates: fc.array(fc.record({ itemId, features: features(8) }), { maxLength: 12 }),
    topK: uint32,
    requestId: text,
    wantTimings: fc.boolean(),
    explain: fc.boolean(),
  })
  .map((r) => ({
    api: r.api,
    userId: r.userId,
    userFeatureIds: r.user.featureIds,
    userFeatureValues: r.user.featureValues,
    candidates: r.candidates.map((c) => ({ itemId: c.itemId, ...c.features })),
    topK: r.topK,
    requestId: r.requestId,
    wantTimings: r.wantTimings,
    explain: r.explain,
  }));

/** The object protobufjs's fromObject takes. */
export function toProtobufjs(m: Partial<RequestModel>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...m };
  if (m.userId !== undefined) out.userId = toLong(m.userId);
  if (m.candidates) out.candidates = m.candidates.map((c) => ({ ...c, itemId: toLong(c.itemId) }));
  return out;
}

/** What a decoded batch says, in model form (the api default 'rank' kept as decoded). */
export function batchToModel(b: RankBatch): RequestModel {
  const candidates = [];
  for (let k = 0; k < b.count; k++) {
    const from = b.featureOffsets[k]!;
    const to = b.featureOffsets[k + 1]!;
    candidates.push({
      itemId: BigInt(b.itemIds[k]!),
      featureIds: Array.from(b.featureIds.subarray(from, to)),
      featureValues: Array.from(b.featureValues.subarray(from, to)),
    });
  }
  return {
    api: b.api,
    userId: b.userId,
    userFeatureIds: Array.from(b.userFeatureIds),
    userFeatureValues: Array.from(b.userFeatureValues),
    candidates,
    topK: b.topK,
    requestId: b.requestId,
    wantTimings: b.wantTimings,
    explain: b.explain,
  };
}

/** The model as the decoder reports it: empty api reads as 'rank', floats rounded to float32, strings as UTF-8 round-trips them. */
export function expectedBatchModel(m: RequestModel): RequestModel {
  return {
    ...m,
    api: m.api === '' ? 'rank' : utf8RoundTrip(m.api),
    requestId: utf8RoundTrip(m.requestId),
    userFeatureValues: m.userFeatureValues.map(Math.fround),
    candidates: m.candidates.map((c) => ({ ...c, featureValues: c.featureValues.map(Math.fround) })),
  };
}

export function utf8RoundTrip(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
