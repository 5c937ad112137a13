/**
 * The straightforward versions bench/models.ts measures rankd's algorithms
 * against: candidates as objects, weights in JS Maps, trees walked
 * recursively over the parsed JSON. Written as a careful engineer would
 * (no gratuitous copies), so the comparison is about data layout.
 */

export interface NaiveFeature {
  id: number;
  value: number;
}

export interface NaiveCandidate {
  id: number;
  features: NaiveFeature[];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** lr: weights keyed by row (row 0 the bias). */
export function naiveLr(weights: Map<number, number>, rows: number, user: NaiveFeature[], candidates: NaiveCandidate[]): number[] {
  const row = (id: number) => 1 + (id % (rows - 1));
  return candidates.map((c) => {
    let z = weights.get(0) ?? 0;
    for (const f of user) z += (weights.get(row(f.id)) ?? 0) * f.value;
    for (const f of c.features) z += (weights.get(row(f.id)) ?? 0) * f.value;
    return sigmoid(z);
  });
}

/** fm in O(k·n): w and v keyed by row, v's rows as number arrays. */
export function naiveFm(
  w: Map<number, number>,
  v: Map<number, number[]>,
  rows: number,
  k: number,
  user: NaiveFeature[],
  candidates: NaiveCandidate[],
): number[] {
  const row = (id: number) => 1 + (id % (rows - 1));
  return candidates.map((c) => {
    let z = w.get(0) ?? 0;
    let squares = 0;
    const sums = new Array<number>(k).fill(0);
    const add = (f: NaiveFeature) => {
      z += (w.get(row(f.id)) ?? 0) * f.value;
      const factors = v.get(row(f.id))!;
      for (let j = 0; j < k; j++) {
        const t = factors[j]! * f.value;
        sums[j] += t;
        squares += t * t;
      }
    };
    user.forEach(add);
    c.features.forEach(add);
    let pairs = 0;
    for (let j = 0; j < k; j++) pairs += sums[j]! * sums[j]!;
    return sigmoid(z + 0.5 * (pairs - squares));
  });
}

export interface JsonTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
}

export interface ColumnCandidate {
  id: number;
  /** Column → value; an absent column is missing. */
  features: Record<number, number>;
}

/** gbdt (binary:logistic): every tree walked recursively over XGBoost's parsed JSON. */
export function naiveGbdt(trees: JsonTree[], baseScore: number, candidates: ColumnCandidate[]): number[] {
  const baseMargin = -Math.log(1 / baseScore - 1);
  const walk = (t: JsonTree, node: number, x: Record<number, number>): number => {
    if (t.left_children[node] === -1) return t.split_conditions[node]!;
    const value = x[t.split_indices[node]!];
    const left = value === undefined ? t.default_left[node] === 1 : value < t.split_conditions[node]!;
    return walk(t, left ? t.left_children[node]! : t.right_children[node]!, x);
  };
  return candidates.map((c) => {
    let margin = baseMargin;
    for (const t of trees) margin += walk(t, 0, c.features);
    return sigmoid(margin);
  });
}
