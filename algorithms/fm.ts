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
import { featureRowFast } from '../src/pool/feature-hash.js';
import type { AlgorithmModule, CandidateBatch, GlobalTables } from '../src/pool/work.js';

const MIN_K = 4;
const MAX_K = 64;

/** The two tables of a generation, with what finding a feature's row needs (README "Feature hashing"). */
interface Model {
  w: Float32Array;
  v: Float32Array;
  k: number;
  wDivisor: number;
  wInverse: number;
  vDivisor: number;
  vInverse: number;
}

/** Per-thread scratch of one fm instance: Σ v_if xᵢ sums and a candidate's factor-row offsets. */
interface Scratch {
  userSums: Float64Array;
  sums: Float64Array;
  bases: Int32Array;
}

/**
 * Σ wᵢxᵢ over features [from, to), noting each factor row's offset in `bases`.
 * Touching each factor row here, in a loop of independent loads, lets the CPU
 * fetch them all from memory at once before addFactors needs them.
 */
function linearPass(model: Model, bases: Int32Array, ids: Uint32Array, values: Float32Array, from: number, to: number): number {
  const { w, v, k, wDivisor, wInverse, vDivisor, vInverse } = model;
  const sameRows = wDivisor === vDivisor;
  let z = 0;
  let touch = 0;
  for (let j = from; j < to; j++) {
    const row = featureRowFast(ids[j]!, wDivisor, wInverse);
    z += w[row]! * values[j]!;
    const base = (sameRows ? row : featureRowFast(ids[j]!, vDivisor, vInverse)) * k;
    bases[j - from] = base;
    touch += v[base]!;
  }
  return z + touch * 0; // `touch` only makes the loads happen (× 0 cannot be folded away: NaN)
}

/**
 * Adds v_if xᵢ of features [from, to) to `sums`; returns Σᵢ Σ_f (v_if xᵢ)².
 * Unrolled by 4 with four partial sums of squares: one running sum would make
 * every multiply-add wait for the previous one.
 */
function addFactors(model: Model, bases: Int32Array, values: Float32Array, from: number, to: number, sums: Float64Array): number {
  const { v, k } = model;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let q3 = 0;
  const k4 = k & ~3;
  for (let j = from; j < to; j++) {
    const x = values[j]!;
    const base = bases[j - from]!;
    let f = 0;
    for (; f < k4; f += 4) {
      const t0 = v[base + f]! * x;
      const t1 = v[base + f + 1]! * x;
      const t2 = v[base + f + 2]! * x;
      const t3 = v[base + f + 3]! * x;
      sums[f] += t0;
      sums[f + 1] += t1;
      sums[f + 2] += t2;
      sums[f + 3] += t3;
      q0 += t0 * t0;
      q1 += t1 * t1;
      q2 += t2 * t2;
      q3 += t3 * t3;
    }
    for (; f < k; f++) {
      const t = v[base + f]! * x;
      sums[f] += t;
      q0 += t * t;
    }
  }
  return q0 + q1 + q2 + q3;
}

const fm: AlgorithmModule = {
  create(name, params) {
    const weightsName = params.weights;
    const factorsName = params.factors;
    if (!weightsName || !factorsName) {
      throw new Error('fm needs "weights" (a global weights table, rows × 1) and "factors" (a global weights table, rows × k)');
    }
    const scratch: Scratch = { userSums: new Float64Array(MAX_K), sums: new Float64Array(MAX_K), bases: new Int32Array(256) };
    const basesFor = (features: number): Int32Array => {
      if (features > scratch.bases.length) scratch.bases = new Int32Array(2 * features);
      return scratch.bases;
    };
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
        const model: Model = {
          w: linear.data,
          v: factors.data,
          k,
          wDivisor: linear.rows - 1,
          wInverse: 1 / (linear.rows - 1),
          vDivisor: factors.rows - 1,
          vInverse: 1 / (factors.rows - 1),
        };
        const { userSums, sums } = scratch;

        const uf = batch.userFeatureIds;
        const uv = batch.userFeatureValues;
        userSums.fill(0, 0, k);
        const userBases = basesFor(uf.length);
        const userLinear = linear.data[0]! + linearPass(model, userBases, uf, uv, 0, uf.length);
        const userSquares = addFactors(model, userBases, uv, 0, uf.length, userSums);

        const { featureOffsets: off, featureIds: fid, featureValues: fv, scores, keep } = batch;
        for (let i = 0; i < batch.count; i++) {
          if (keep[i] === 0) continue;
          const start = off[i]!;
          const end = off[i + 1]!;
          for (let f = 0; f < k; f++) sums[f] = userSums[f]!;
          const bases = basesFor(end - start);
          const z = userLinear + linearPass(model, bases, fid, fv, start, end);
          const squares = userSquares + addFactors(model, bases, fv, start, end, sums);
          let pairs = 0;
          for (let f = 0; f < k; f++) pairs += sums[f]! * sums[f]!;
          scores[i] = 1 / (1 + Math.exp(-(z + 0.5 * (pairs - squares))));
        }
      },
    };
  },
};

export default fm;
