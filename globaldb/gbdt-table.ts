/**
 * A gradient-boosted tree model as a global table: the flat forest of
 * gbdt-model-json.ts in SharedArrayBuffers, so every pool thread walks the
 * same memory and UpdateGlobal swaps a model like any data.
 */
import { GBDT_OBJECTIVES, NODE_STRIDE, type FlatForest, type GbdtObjective } from './gbdt-model-json.js';
import type { GbdtRow } from './gbdt-row.js';
import { allocShared } from './shared-alloc.js';
import { imageBytes } from './table-bytes.js';
import type { GlobalTable, TableImage } from './table.js';

export interface GbdtTable extends GlobalTable {
  readonly kind: 'gbdt';
  readonly objective: GbdtObjective;
  /** Columns the model reads (num_feature): feature ids 0 .. features − 1. */
  readonly features: number;
  readonly trees: number;
  /** Raw score of one row (sum of leaves plus the base margin); the row needs at least `features` columns. */
  margin(row: GbdtRow): number;
  /** What XGBoost's predict() returns: the probability for binary:logistic, the margin for reg:squarederror. */
  predict(row: GbdtRow): number;
}

/** Copies a flat forest into shared memory. */
export function buildGbdtTable(name: string, forest: FlatForest): SharedGbdtTable {
  const share = (a: Int32Array | Float32Array): SharedArrayBuffer => {
    // Nodes are read as Int32 and as Float32 words of one buffer: host byte order either way.
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
      nodes: forest.values.length,
    },
    buffers: {
      roots: share(forest.roots),
      depths: share(forest.depths),
      nodes: share(forest.nodes),
      values: share(forest.values),
    },
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
  private declare readonly depths: Int32Array;
  private declare readonly nodes: Int32Array;
  /** `nodes` as float32 words: the thresholds. */
  private declare readonly floats: Float32Array;
  private declare readonly values: Float32Array;
  /** Slots a row needs: two per column, at least one column. */
  private declare readonly slotCount: number;

  constructor(image: TableImage) {
    if (image.kind !== 'gbdt') throw new TypeError(`table "${image.name}" is a ${image.kind}, not gbdt`);
    const { objective, baseScore, baseMargin, features, trees, nodes } = image.meta;
    const b = image.buffers;
    const objectiveName = GBDT_OBJECTIVES[objective ?? -1];
    if (
      objectiveName === undefined ||
      baseScore === undefined ||
      baseMargin === undefined ||
      features === undefined ||
      trees === undefined ||
      nodes === undefined ||
      b.roots?.byteLength !== trees * 4 ||
      b.depths?.byteLength !== trees * 4 ||
      b.nodes?.byteLength !== nodes * NODE_STRIDE * 4 ||
      b.values?.byteLength !== nodes * 4
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
    this.depths = new Int32Array(b.depths);
    this.nodes = new Int32Array(b.nodes);
    this.floats = new Float32Array(b.nodes);
    this.values = new Float32Array(b.values);
    this.slotCount = 2 * Math.max(features, 1);
  }

  margin(row: GbdtRow): number {
    const x = row.slots;
    if (x.length < this.slotCount) throw new RangeError(`gbdt "${this.name}": a row of ${x.length / 2} columns for a model of ${this.features}`);
    const { roots, depths, nodes, floats, values } = this;
    const trees = roots.length;
    let sum = this.baseMargin;
    let t = 0;
    // One step: read the node's slot, compare with its threshold, go to child
    // LEFT + (x >= threshold), i.e. right when not below it (XGBoost's rule).
    // The child is picked by arithmetic, not a branch. Four trees walk in step:
    // their walks are independent, so the CPU overlaps their chains of loads.
    // Word offsets are written out (SLOT 0, THRESHOLD 1, LEFT 2; `>> 2` is
    // / NODE_STRIDE): the imported constants cost ~13% in this loop.
    for (; t + 4 <= trees; t += 4) {
      let a = roots[t]!;
      let b = roots[t + 1]!;
      let c = roots[t + 2]!;
      let d = roots[t + 3]!;
      for (let step = Math.max(depths[t]!, depths[t + 1]!, depths[t + 2]!, depths[t + 3]!); step > 0; step--) {
        a = nodes[a + 2 + +(x[nodes[a]!]! >= floats[a + 1]!)]!;
        b = nodes[b + 2 + +(x[nodes[b]!]! >= floats[b + 1]!)]!;
        c = nodes[c + 2 + +(x[nodes[c]!]! >= floats[c + 1]!)]!;
        d = nodes[d + 2 + +(x[nodes[d]!]! >= floats[d + 1]!)]!;
      }
      sum += values[a >> 2]! + values[b >> 2]! + values[c >> 2]! + values[d >> 2]!;
    }
    for (; t < trees; t++) {
      let n = roots[t]!;
      for (let step = depths[t]!; step > 0; step--) n = nodes[n + 2 + +(x[nodes[n]!]! >= floats[n + 1]!)]!;
      sum += values[n >> 2]!;
    }
    return sum;
  }

  predict(row: GbdtRow): number {
    const m = this.margin(row);
    return this.logistic ? 1 / (1 + Math.exp(-m)) : m;
  }
}
