/** The RankResponse codec: encode in pool threads, decode in clients and tests. */
export { encodeRankResponse } from './rank-response-encoder.js';
export {
  decodeRankResponse,
  type DecodedRankResponse,
  type DecodedScoredItem,
  type Uint64Value,
} from './rank-response-decoder.js';
export type { RankResult, StageTiming } from './rank-result.js';
