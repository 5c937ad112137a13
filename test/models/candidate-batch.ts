import type { CandidateBatch } from '../../src/pool/work.js';

export type Features = [id: number, value: number][];

/** A CandidateBatch (the struct-of-arrays every algorithm reads) from per-candidate feature lists. */
export function candidateBatch(candidates: Features[], user: Features = []): CandidateBatch {
  const offsets = new Uint32Array(candidates.length + 1);
  candidates.forEach((c, i) => (offsets[i + 1] = offsets[i]! + c.length));
  const all = candidates.flat();
  return {
    count: candidates.length,
    userId: 1n,
    itemIds: Float64Array.from(candidates, (_, i) => i + 1),
    featureOffsets: offsets,
    featureIds: Uint32Array.from(all, ([id]) => id),
    featureValues: Float32Array.from(all, ([, v]) => v),
    userFeatureIds: Uint32Array.from(user, ([id]) => id),
    userFeatureValues: Float32Array.from(user, ([, v]) => v),
    scores: new Float64Array(candidates.length),
    keep: new Uint8Array(candidates.length).fill(1),
  };
}
