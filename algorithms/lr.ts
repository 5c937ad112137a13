/**
 * Logistic regression over hashed sparse features:
 *   score = sigmoid(w[0] + Σ w[row(f)] · x_f)   over the candidate's and the user's features,
 * with row(f) = 1 + f mod (rows − 1). Row 0 is the bias, so a model is one
 * `weights` table (rows × 1) and UpdateGlobal swaps it like any data.
 *
 * ini keys: weights = <global weights table>.
 */
import { featureRowFast } from '../src/pool/feature-hash.js';
import type { AlgorithmModule, CandidateBatch, GlobalTables } from '../src/pool/work.js';

const lr: AlgorithmModule = {
  create(name, params) {
    const table = params.weights;
    if (!table) throw new Error('lr needs "weights" (the name of a global weights table)');
    return {
      name,
      run(batch: CandidateBatch, global: GlobalTables) {
        const w = global.weights(table).data;
        const buckets = w.length - 1;
        const inverse = 1 / buckets;
        let user = w[0]!;
        const uf = batch.userFeatureIds;
        const uv = batch.userFeatureValues;
        for (let j = 0; j < uf.length; j++) user += w[featureRowFast(uf[j]!, buckets, inverse)]! * uv[j]!;
        const { featureOffsets: off, featureIds: fid, featureValues: fv, scores, keep } = batch;
        for (let i = 0; i < batch.count; i++) {
          if (keep[i] === 0) continue;
          let z = user;
          for (let j = off[i]!, end = off[i + 1]!; j < end; j++) z += w[featureRowFast(fid[j]!, buckets, inverse)]! * fv[j]!;
          scores[i] = 1 / (1 + Math.exp(-z));
        }
      },
    };
  },
};

export default lr;
