/** The RankRequest codec: decode in pool threads, encode in clients and benchmarks. */
export { decodeRankRequest } from './rank-request-decoder.js';
export {
  encodeRankRequest,
  type CandidateColumnsInput,
  type CandidateInput,
  type RankRequestInput,
  type Uint64Input,
} from './rank-request-encoder.js';
export type { RankBatch, RankLimits } from './rank-batch.js';
