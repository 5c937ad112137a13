/**
 * Factorization machine over hashed sparse features, for CTR:
 *   score = sigmoid(w0 + Σ wᵢxᵢ + Σᵢ<ⱼ ⟨vᵢ,vⱼ⟩ xᵢxⱼ)
 * over the candidate's features and the user's (which count as features of
 * every candidate). The pairwise term is computed in O(k·n) as
 *   ½ Σ_f [ (Σᵢ v_if xᵢ)² − Σᵢ v_if² xᵢ² ],
 * and the user's share of both sums once per batch.
 *
 * The model is two global weights tables, indexed as README "Feature
 * hashing" says (row 1 + id mod (rows − 1)): `weights`, rows × 1 with the
 * bias w0 in row 0, and `factors`, rows × k with k from 4 to 64 (row 0
 * unused). UpdateGlobal swaps either like any data.
 *
 * ini keys: weights = <global weights table>, factors = <global weights table>.
 */
import { featureRow } from '../src/pool/feature-hash.js';
import type { AlgorithmModule, CandidateBatch, GlobalTables } from '../src/pool/work.js';

const MIN_K = 4;
const MAX_K = 64;

const fm: AlgorithmModule = {
  create(name, params) {
    const weightsName = params.weights;
    const factorsName = params.factors;
    if (!weightsName || !factorsName) {
      throw new Error('fm needs "weights" (a global weights table, rows × 1) and "factors" (a global weights table, rows × k)');
    }
    // Per-instance scratch (one instance per pool thread): the user's share of Σ v_if xᵢ, and a candidate's.
    const userSums = new Float64Array(MAX_K);
    const sums = new Float64Array(MAX_K);
    return {
      name,
      run(batch: CandidateBatch, global: GlobalTables) {
        const linear = global.weights(weightsName);
        const factors = global.weights(factorsName);
        const k = factors.cols;
        if (linear.cols !== 1 || linear.rows < 2) throw new Error(`fm "${name}": table ${weightsName} must be rows × 1 with rows ≥ 2 (is ${linear.rows} × ${linear.cols})`);
        if (k < MIN_K || k > MAX_K || factors.rows < 2) {
          throw new Error(`fm "${name}": table ${factorsName} must be rows × k with k from ${MIN_K} to ${MAX_K} and rows ≥ 2 (is ${factors.rows} × ${k})`);
        }
        const w = linear.data;
        const v = factors.data;
        const wRows = linear.rows;
        const vRows = factors.rows;

        let userLinear = w[0]!;
        let userSquares = 0;
        userSums.fill(0, 0, k);
        const uf = batch.userFeatureIds;
        const uv = batch.userFeatureValues;
        for (let j = 0; j < uf.length; j++) {
          const x = uv[j]!;
          userLinear += w[featureRow(uf[j]!, wRows)]! * x;
          const base = featureRow(uf[j]!, vRows) * k;
          for (let f = 0; f < k; f++) {
            const t = v[base + f]! * x;
            userSums[f] += t;
            userSquares += t * t;
          }
        }

        const { featureOffsets: off, featureIds: fid, featureValues: fv, scores, keep } = batch;
        for (let i = 0; i < batch.count; i++) {
          if (keep[i] === 0) continue;
          let z = userLinear;
          let squares = userSquares;
          for (let f = 0; f < k; f++) sums[f] = userSums[f]!;
          for (let j = off[i]!, end = off[i + 1]!; j < end; j++) {
            const x = fv[j]!;
            z += w[featureRow(fid[j]!, wRows)]! * x;
            const base = featureRow(fid[j]!, vRows) * k;
            for (let f = 0; f < k; f++) {
              const t = v[base + f]! * x;
              sums[f] += t;
              squares += t * t;
            }
          }
          let pairs = 0;
          for (let f = 0; f < k; f++) pairs += sums[f]! * sums[f]!;
          z += 0.5 * (pairs - squares);
          scores[i] = 1 / (1 + Math.exp(-z));
        }
      },
    };
  },
};

export default fm;
