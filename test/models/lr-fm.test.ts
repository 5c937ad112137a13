import { describe, expect, it } from 'vitest';
import fm from '../../algorithms/fm.js';
import lr from '../../algorithms/lr.js';
import { buildWeightsTable } from '../../globaldb/weights-table.js';
import { BoundTables } from '../../src/pool/bound-tables.js';
import { candidateBatch, type Features } from './candidate-batch.js';
import { fmReference } from './fm-reference.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function tables(matrices: Record<string, number[][]>): BoundTables {
  const images = Object.fromEntries(
    Object.entries(matrices).map(([name, m]) => [name, buildWeightsTable(name, m.length, m[0]!.length, m.flat()).image]),
  );
  return new BoundTables(1, images);
}

// Five rows: a feature id f lands in row 1 + f mod 4; row 0 is the bias.
// Every value is a binary fraction, exact in float32, so sums by hand are exact.
const W = [[0.25], [0.5], [-0.25], [0.125], [-0.5]];
const V = [
  [0, 0, 0, 0],
  [1, 0, 0.5, 0], // row 1: ids 0, 4, 8, …
  [0.5, 1, 0, -0.5], // row 2: ids 1, 5, …
  [0.5, 0.5, 1, 1], // row 3: ids 2, 6, …
  [-1, 0, 0, 2], // row 4: ids 3, 7, …
];

describe('lr', () => {
  const global = tables({ w: [[-0.5], [0.25], [-0.125], [0.5], [1]] });
  const model = lr.create('lr_test', { weights: 'w' });

  it('scores sigmoid(bias + Σ w·x) with rows 1 + id mod (rows − 1)', () => {
    const batch = candidateBatch([
      [[7, 2], [2, 1]], // rows 4 and 3: z = −0.5 + 1·2 + 0.5·1 = 2
      [[4, 3]], // row 1: z = −0.5 + 0.25·3 = 0.25
      [[591_093_154, 1]], // "user_city=beijing": 591093154 mod 4 = 2, row 3: z = −0.5 + 0.5 = 0
      [], // bias only
    ]);
    model.run(batch, global);
    expect(Array.from(batch.scores)).toEqual([sigmoid(2), sigmoid(0.25), 0.5, sigmoid(-0.5)]);
  });

  it('adds the user features to every candidate', () => {
    // user feature id 1 → row 2: −0.125 · 2 = −0.25 on every candidate
    const batch = candidateBatch([[[7, 2], [2, 1]], [[4, 3]]], [[1, 2]]);
    model.run(batch, global);
    expect(Array.from(batch.scores)).toEqual([sigmoid(1.75), 0.5]);
  });
});

describe('fm', () => {
  const global = tables({ w: W, v: V });
  const model = fm.create('fm_test', { weights: 'w', factors: 'v' });

  it('scores sigmoid(w0 + Σ wᵢxᵢ + Σᵢ<ⱼ ⟨vᵢ,vⱼ⟩xᵢxⱼ), checked by hand', () => {
    const batch = candidateBatch([
      // ids 0 (row 1, x 1) and 1 (row 2, x 2):
      //   linear 0.25 + 0.5·1 − 0.25·2 = 0.25; pair ⟨v1,v2⟩ = 0.5, × 1·2 = 1; z = 1.25
      [[0, 1], [1, 2]],
      // ids 2 (row 3, x 1), 3 (row 4, x 0.5), 0 (row 1, x 2):
      //   linear 0.25 + 0.125 − 0.25 + 1 = 1.125
      //   pairs ⟨v3,v4⟩·0.5 = 1.5·0.5 = 0.75, ⟨v3,v1⟩·2 = 1·2 = 2, ⟨v4,v1⟩·1 = −1; z = 1.125 + 1.75 = 2.875
      [[2, 1], [3, 0.5], [0, 2]],
      // one feature has no pairs: z = 0.25 + 0.125·4 = 0.75 (id 6 → row 3)
      [[6, 4]],
    ]);
    model.run(batch, global);
    expect(batch.scores[0]).toBeCloseTo(sigmoid(1.25), 15);
    expect(batch.scores[1]).toBeCloseTo(sigmoid(2.875), 15);
    expect(batch.scores[2]).toBeCloseTo(sigmoid(0.75), 15);
  });

  it('counts user features as features of every candidate, pairs with them included', () => {
    // user id 1 (row 2, x 1) + candidate id 0 (row 1, x 1): linear 0.25 + 0.5 − 0.25 = 0.5, pair 0.5; z = 1
    // user id 1 alone (empty candidate): z = 0.25 − 0.25 = 0
    const batch = candidateBatch([[[0, 1]], []], [[1, 1]]);
    model.run(batch, global);
    expect(batch.scores[0]).toBeCloseTo(sigmoid(1), 15);
    expect(batch.scores[1]).toBeCloseTo(0.5, 15);
  });

  it.each([4, 6, 16])('matches the pairwise O(k·n²) definition on random models and candidates, k = %i', (k) => {
    let seed = 12345;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
    const rows = 97;
    const w = Array.from({ length: rows }, () => [next()]);
    const v = Array.from({ length: rows }, () => Array.from({ length: k }, next));
    const randomFeatures = (n: number): Features => Array.from({ length: n }, () => [Math.floor((next() + 0.5) * 2 ** 32), next() * 4]);
    const user = randomFeatures(5);
    const candidates = Array.from({ length: 20 }, (_, i) => randomFeatures(i * 2));
    const batch = candidateBatch(candidates, user);
    fm.create('fm_random', { weights: 'w', factors: 'v' }).run(batch, tables({ w, v }));
    candidates.forEach((c, i) => expect(batch.scores[i]).toBeCloseTo(fmReference(w, v, [...user, ...c]), 12));
  });

  it('skips candidates a filter dropped', () => {
    const batch = candidateBatch([[[0, 1]], [[0, 1]]]);
    batch.keep[1] = 0;
    batch.scores[1] = -7;
    model.run(batch, global);
    expect(batch.scores[1]).toBe(-7);
  });

  it('refuses factor tables with k outside 4..64, and a missing ini key', () => {
    const narrow = tables({ w: W, v: V.map((r) => r.slice(0, 3)) });
    expect(() => model.run(candidateBatch([[[0, 1]]]), narrow)).toThrow(/v must be rows × k with k from 4 to 64 .*5 × 3/);
    expect(() => fm.create('fm_bad', { weights: 'w' })).toThrow(/"factors"/);
  });
});
