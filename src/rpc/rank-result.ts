import type { IdArray } from '../../globaldb/table.js';

export interface StageTiming {
  stage: string;
  ms: number;
}

/**
 * What a work returns for one RankRequest, in columns: the encoder writes
 * the reply straight from these arrays.
 */
export interface RankResult {
  /** Every scored candidate's id (exact integers; BigUint64Array for ids ≥ 2^53). */
  itemIds: IdArray;
  /** Indexed like itemIds. */
  scores: Float64Array;
  /** Indices into itemIds of the items to return, best first. */
  order: Uint32Array;
  plan: string;
  /** Generation of global data the request ran against (an integer < 2^53). */
  generation: number;
  requestId: string;
  /** Algorithms that scored, in chain order. */
  algorithms: string[];
  timings?: StageTiming[];
  /** With explain: one array per algorithm (same order as `algorithms`), indexed like itemIds. */
  algorithmScores?: Float64Array[];
}
