/**
 * A gradient-boosted tree model as a global table: the flat forest of
 * gbdt-model-json.ts in SharedArrayBuffers, so every pool thread walks the
 * same memory and UpdateGlobal swaps a model like any data.
 */
import { GBDT_OBJECTIVES, NODE_STRIDE, type FlatForest, type GbdtObjective } from './gbdt-model-json.js';
import { allocShared } from './shared-alloc.js';
import { imageBytes } from './table-bytes.js';
import type { GlobalTable, TableImage } from './table.js';

export interface GbdtTable extends GlobalTable {
  readonly kind: 'gbdt';
  readonly objective: GbdtObjective;
  /** Columns the model reads: a dense row has this many values, NaN for missing. */
  readonly features: number;
  readonly trees: number;
  /** Raw score (sum of leaves plus the base margin) of one dense row; NaN entries are missing. */
  margin(row: Float32Array): number;
  /** What XGBoost's predict() returns: the probability for binary:logistic, the margin for reg:squarederror. */
  predict(row: Float32Array): number;
}

/** Copies a flat forest into shared memory. */
export function buildGbdtTable(name: string, forest: FlatForest): SharedGbdtTable {
  const share = (a: Int32Array | Float32Array): SharedArrayBuffer => {
    const buffer = allocShared(a.byteLength);
    new Uint8Array(buffer).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return buffer;
  };
  return new SharedGbdtTable({
    kind: 'gbdt',
    name,
    size: forest.roots.length,
    meta: {
      objective: GBDT_OBJECTIVES.indexOf(forest.objective),
      baseScore: forest.baseScore,
      baseMargin: forest.baseMargin,
      features: forest.features,
      trees: forest.roots.length,
      nodes: forest.thresholds.length,
      leaves: forest.leaves.length,
    },
    buffers: { roots: share(forest.roots), nodes: share(forest.nodes), thresholds: share(forest.thresholds), leaves: share(forest.leaves) },
  });
}

/** Views over a gbdt image; safe to create in any thread. */
export class SharedGbdtTable implements GbdtTable {
  readonly kind = 'gbdt' as const;
  // `declare`d and assigned once in the constructor, as in the other tables:
  // V8 then knows their types on the hot path.
  declare readonly name: string;
  declare readonly size: number;
  declare readonly bytes: number;
  declare readonly image: TableImage;
  declare readonly objective: GbdtObjective;
  declare readonly features: number;
  declare readonly trees: number;
  declare readonly baseScore: number;
  declare readonly baseMargin: number;
  private declare readonly logistic: boolean;
  private declare readonly roots: Int32Array;
  private declare readonly nodes: Int32Array;
  private declare readonly thresholds: Float32Array;
  private declare readonly leaves: Float32Array;

  constructor(image: TableImage) {
    if (image.kind !== 'gbdt') throw new TypeError(`table "${image.name}" is a ${image.kind}, not gbdt`);
    const { objective, baseScore, baseMargin, features, trees, nodes, leaves } = image.meta;
    const b = image.buffers;
    const objectiveName = GBDT_OBJECTIVES[objective ?? -1];
    if (
      objectiveName === undefined ||
      baseScore === undefined ||
      baseMargin === undefined ||
      features === undefined ||
      trees === undefined ||
      nodes === undefined ||
      leaves === undefined ||
      b.roots?.byteLength !== trees * 4 ||
      b.nodes?.byteLength !== nodes * NODE_STRIDE * 4 ||
      b.thresholds?.byteLength !== nodes * 4 ||
      b.leaves?.byteLength !== leaves * 4
    ) {
      throw new TypeError(`table "${image.name}": not a gbdt table image`);
    }
    this.image = image;
    this.name = image.name;
    this.size = trees;
    this.bytes = imageBytes(image);
    this.objective = objectiveName;
    this.logistic = objectiveName === 'binary:logistic';
    this.features = features;
    this.trees = trees;
    this.baseScore = baseScore;
    this.baseMargin = baseMargin;
    this.roots = new Int32Array(b.roots);
    this.nodes = new Int32Array(b.nodes);
    this.thresholds = new Float32Array(b.thresholds);
    this.leaves = new Float32Array(b.leaves);
  }

  margin(row: Float32Array): number {
    const { roots, nodes, thresholds, leaves } = this;
    let sum = this.baseMargin;
    for (let t = 0; t < roots.length; t++) {
      let n = roots[t]!;
      while (n >= 0) {
        const at = n * NODE_STRIDE;
        const x = row[nodes[at]!]!;
        const split = thresholds[n]!;
        // NaN (missing) fails both comparisons and takes the node's default direction.
        n = x < split ? nodes[at + 1]! : x >= split ? nodes[at + 2]! : nodes[at + 3]!;
      }
      sum += leaves[~n]!;
    }
    return sum;
  }

  predict(row: Float32Array): number {
    const m = this.margin(row);
    return this.logistic ? 1 / (1 + Math.exp(-m)) : m;
  }
}
