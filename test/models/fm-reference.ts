import type { Features } from './candidate-batch.js';

/**
 * An FM score by its definition, independent of algorithms/fm.ts: every pair
 * of features visited (O(k·n²)), weights read as float32 as the tables hold them.
 * `w` is rows × 1 (row 0 the bias), `v` rows × k; feature id f is row 1 + f mod (rows − 1).
 */
export function fmReference(w: number[][], v: number[][], features: Features): number {
  const f32 = Math.fround;
  const wRow = (id: number) => w[1 + (id % (w.length - 1))]!;
  const vRow = (id: number) => v[1 + (id % (v.length - 1))]!;
  let z = f32(w[0]![0]!);
  for (const [id, x] of features) z += f32(wRow(id)[0]!) * f32(x);
  for (let a = 0; a < features.length; a++) {
    for (let b = a + 1; b < features.length; b++) {
      const [ia, xa] = features[a]!;
      const [ib, xb] = features[b]!;
      let dot = 0;
      for (let f = 0; f < v[0]!.length; f++) dot += f32(vRow(ia)[f]!) * f32(vRow(ib)[f]!);
      z += dot * f32(xa) * f32(xb);
    }
  }
  return 1 / (1 + Math.exp(-z));
}

/** A text weights file (rows of numbers; '#' comments and blank lines skipped) as rows of numbers. */
export function parseWeightsText(text: string): number[][] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.trim().split(/[\s,]+/).map(Number));
}
