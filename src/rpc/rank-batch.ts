import type { IdArray } from '../../globaldb/table.js';

/**
 * A decoded RankRequest as struct-of-arrays, ready for scoring loops in a
 * pool thread. Arrays may be views into larger buffers (the decoder grows
 * them geometrically and does not trim); use their `length`, not `.buffer`.
 */
export interface RankBatch {
  /** The work to run; an empty or absent `api` is 'rank'. */
  api: string;
  /** The full uint64 user id. */
  userId: bigint;
  /** The user id as a number when exact (< 2^53), else NaN: test with Number.isNaN and fall back to `userId`. */
  userIdNumber: number;
  userFeatureIds: Uint32Array;
  userFeatureValues: Float32Array;
  /** Number of candidates. */
  count: number;
  /** Float64Array when every item id is < 2^53, else BigUint64Array. */
  itemIds: IdArray;
  /** count + 1 offsets: candidate k's features are featureIds/featureValues[featureOffsets[k] .. featureOffsets[k+1]). */
  featureOffsets: Uint32Array;
  featureIds: Uint32Array;
  featureValues: Float32Array;
  /** Items to return; 0 means all. */
  topK: number;
  /** As sent; empty when the client sent none (the server generates one). */
  requestId: string;
  wantTimings: boolean;
  explain: boolean;
}

export interface RankLimits {
  /** Requests with more candidates are refused with INVALID_ARGUMENT. */
  maxCandidates: number;
}
