/**
 * XGBoost's JSON model format (`save_model("m.json")`, XGBoost 1.6+) read
 * into a flat forest: every tree's internal nodes and leaves in typed
 * arrays, ready to be copied into shared memory (gbdt-table.ts).
 *
 * Supported: gbtree boosters with numerical splits, one output, objectives
 * binary:logistic and reg:squarederror. Anything else is refused with the
 * reason, so a model rankd would score wrongly never serves.
 *
 * Node layout of the flat forest (what gbdt-table.ts walks), leaves included.
 * Node n takes words 4n .. 4n+3 of `nodes`, and child links are word offsets (4n):
 *   nodes[4n]     slot of the row the split reads (see gbdt-row.ts: 2c or 2c + 1 for column c)
 *   nodes[4n + 1] split value, as float32 bits (go left when x < threshold, as XGBoost)
 *   nodes[4n + 2] left child, nodes[4n + 3] right child
 *   values[n]     a leaf's value (0 for a split)
 *   roots[t], depths[t]: tree t's root and its depth (edges on the longest path)
 * Missing values need no test: a row holds each column twice, as the value or,
 * when missing, −∞ in slot 2c and +∞ in slot 2c + 1. A split whose missing
 * values go left reads slot 2c (−∞ < any threshold), one going right reads
 * 2c + 1. A leaf's children are itself, so a walk that reaches a leaf early
 * stays there: every walk of a tree takes exactly depths[t] steps, with no test
 * for "is this a leaf" either (both would be branches the CPU often mispredicts).
 */

/** Objectives rankd evaluates, by their number in a gbdt table image's meta. */
export const GBDT_OBJECTIVES = ['reg:squarederror', 'binary:logistic'] as const;
export type GbdtObjective = (typeof GBDT_OBJECTIVES)[number];

/** Int32 words per node in `nodes`. */
export const NODE_STRIDE = 4;
/** Word offsets within a node. */
export const SLOT = 0;
export const THRESHOLD = 1;
export const LEFT = 2;
export const RIGHT = 3;

export interface FlatForest {
  objective: GbdtObjective;
  /** base_score as the file gives it (a probability for binary:logistic). */
  baseScore: number;
  /** The margin every prediction starts from: base_score mapped through the objective's inverse link. */
  baseMargin: number;
  /** Columns the model reads (num_feature): feature ids 0 .. features − 1. */
  features: number;
  roots: Int32Array;
  depths: Int32Array;
  nodes: Int32Array;
  values: Float32Array;
}

/** Why a model was refused; the loader adds the file name. */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}

type Json = Record<string, unknown>;

/** Parses and checks a model file's text; throws ModelFormatError with the reason. */
export function parseXgboostModel(text: string): FlatForest {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`not JSON (${(e as Error).message}); rankd reads XGBoost's save_model JSON format`);
  }
  const learner = object(object(root, 'the file').learner, 'learner');
  const params = object(learner.learner_model_param, 'learner.learner_model_param');
  const objective = objectiveOf(learner);
  const features = count(params.num_feature, 'learner_model_param.num_feature');
  const classes = count(params.num_class ?? '0', 'learner_model_param.num_class');
  if (classes > 1) throw new ModelFormatError(`multi-class models are not supported (num_class ${classes}); rankd evaluates one output per candidate`);
  const targets = count(params.num_target ?? '1', 'learner_model_param.num_target');
  if (targets > 1) throw new ModelFormatError(`multi-target models are not supported (num_target ${targets})`);
  const baseScore = baseScoreOf(params.base_score);
  const baseMargin = marginOf(objective, baseScore);

  const booster = object(learner.gradient_booster, 'learner.gradient_booster');
  if (booster.name !== 'gbtree') {
    throw new ModelFormatError(`booster ${JSON.stringify(booster.name)} is not supported; rankd evaluates gbtree boosters`);
  }
  const model = object(booster.model, 'gradient_booster.model');
  const trees = array(model.trees, 'gradient_booster.model.trees');
  const declared = object(model.gbtree_model_param, 'gradient_booster.model.gbtree_model_param');
  if (count(declared.num_trees, 'gbtree_model_param.num_trees') !== trees.length) {
    throw new ModelFormatError(`gbtree_model_param.num_trees is ${String(declared.num_trees)} but the model holds ${trees.length} trees`);
  }

  const forest = new ForestBuilder(features);
  trees.forEach((tree, t) => forest.addTree(object(tree, `trees[${t}]`), t));
  return { objective, baseScore, baseMargin, features, ...forest.finish() };
}

function objectiveOf(learner: Json): GbdtObjective {
  const name = object(learner.objective, 'learner.objective').name;
  if (!GBDT_OBJECTIVES.includes(name as GbdtObjective)) {
    throw new ModelFormatError(`objective ${JSON.stringify(name)} is not supported; rankd evaluates ${GBDT_OBJECTIVES.join(' and ')}`);
  }
  return name as GbdtObjective;
}

/** XGBoost writes base_score as a string ("5E-1"); 3.x writes a one-element list ("[5E-1]"). */
function baseScoreOf(raw: unknown): number {
  const text = typeof raw === 'string' ? raw.replace(/^\[(.*)\]$/, '$1') : raw;
  const value = typeof text === 'string' && text.trim() !== '' && !text.includes(',') ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new ModelFormatError(`learner_model_param.base_score ${JSON.stringify(raw)} is not one number`);
  return value;
}

function marginOf(objective: GbdtObjective, baseScore: number): number {
  if (objective === 'reg:squarederror') return baseScore;
  if (!(baseScore > 0 && baseScore < 1)) {
    throw new ModelFormatError(`base_score ${baseScore} must lie strictly between 0 and 1 for binary:logistic`);
  }
  return -Math.log(1 / baseScore - 1);
}

/** Appends trees to growing typed arrays, walking each from its root so unreachable (deleted) nodes are dropped. */
class ForestBuilder {
  private nodes = new Int32Array(1024 * NODE_STRIDE);
  /** The same memory as `nodes`, to write thresholds as float32. */
  private floats = new Float32Array(this.nodes.buffer);
  private values = new Float32Array(1024);
  private count = 0;
  private readonly roots: number[] = [];
  private readonly depths: number[] = [];

  constructor(private readonly features: number) {}

  addTree(tree: Json, t: number): void {
    const where = `trees[${t}]`;
    const left = intArray(tree.left_children, `${where}.left_children`);
    const size = left.length;
    const right = intArray(tree.right_children, `${where}.right_children`, size);
    const feature = intArray(tree.split_indices, `${where}.split_indices`, size);
    const condition = numberArray(tree.split_conditions, `${where}.split_conditions`, size);
    const defaultLeft = intArray(tree.default_left, `${where}.default_left`, size);
    const splitType = tree.split_type === undefined ? new Array<number>(size).fill(0) : intArray(tree.split_type, `${where}.split_type`, size);
    const param = object(tree.tree_param ?? {}, `${where}.tree_param`);
    if (count(param.size_leaf_vector ?? '0', `${where}.tree_param.size_leaf_vector`) > 1) {
      throw new ModelFormatError(`${where}: vector leaves (multi-output trees) are not supported`);
    }
    if (size === 0) throw new ModelFormatError(`${where} has no nodes`);

    // Depth-first from the root: a parent's links are written once its children have places.
    const seen = new Uint8Array(size);
    let depth = 0;
    const place = (i: number, from: string, level: number): number => {
      if (!(i >= 0 && i < size)) throw new ModelFormatError(`${where}: ${from} points at node ${i}, outside 0..${size - 1}`);
      if (seen[i]) throw new ModelFormatError(`${where}: node ${i} is reached twice; not a tree`);
      seen[i] = 1;
      if (left[i] === -1) {
        if (right[i] !== -1) throw new ModelFormatError(`${where}: node ${i} has a right child but no left child`);
        const value = condition[i]!;
        if (!Number.isFinite(value)) throw new ModelFormatError(`${where}: leaf ${i} has value ${value}`);
        depth = Math.max(depth, level);
        // Reads slot 0 (any would do); both ways lead back to itself.
        const at = this.addNode(0, 0, value);
        this.link(at, at, at);
        return at;
      }
      if (splitType[i] !== 0) throw new ModelFormatError(`${where}: node ${i} is a categorical split; rankd evaluates numerical splits only`);
      const f = feature[i]!;
      if (!(f >= 0 && f < this.features)) throw new ModelFormatError(`${where}: node ${i} splits on feature ${f}, outside 0..${this.features - 1} (num_feature)`);
      if (!Number.isFinite(condition[i]!)) throw new ModelFormatError(`${where}: node ${i} has split value ${condition[i]}`);
      const at = this.addNode(2 * f + (defaultLeft[i] ? 0 : 1), condition[i]!, 0);
      const l = place(left[i]!, `node ${i}'s left child`, level + 1);
      const r = place(right[i]!, `node ${i}'s right child`, level + 1);
      this.link(at, l, r);
      return at;
    };
    this.roots.push(place(0, 'the root', 0));
    this.depths.push(depth);
  }

  finish(): Pick<FlatForest, 'roots' | 'depths' | 'nodes' | 'values'> {
    return {
      roots: Int32Array.from(this.roots),
      depths: Int32Array.from(this.depths),
      nodes: this.nodes.slice(0, this.count * NODE_STRIDE),
      values: this.values.slice(0, this.count),
    };
  }

  /** Appends a node; returns its word offset. */
  private addNode(slot: number, threshold: number, value: number): number {
    if (this.count === this.values.length) {
      this.nodes = grow(this.nodes, Int32Array);
      this.floats = new Float32Array(this.nodes.buffer);
      this.values = grow(this.values, Float32Array);
    }
    const at = this.count * NODE_STRIDE;
    this.nodes[at + SLOT] = slot;
    this.floats[at + THRESHOLD] = threshold;
    this.values[this.count++] = value;
    return at;
  }

  private link(at: number, left: number, right: number): void {
    this.nodes[at + LEFT] = left;
    this.nodes[at + RIGHT] = right;
  }
}

function grow<T extends Int32Array | Float32Array>(a: T, Type: new (n: number) => T): T {
  const bigger = new Type(a.length * 2);
  bigger.set(a);
  return bigger;
}

function object(v: unknown, what: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ModelFormatError(`${what} is missing or not an object; not an XGBoost JSON model`);
  return v as Json;
}

function array(v: unknown, what: string, length?: number): unknown[] {
  if (!Array.isArray(v)) throw new ModelFormatError(`${what} is missing or not a list`);
  if (length !== undefined && v.length !== length) throw new ModelFormatError(`${what} has ${v.length} entries, expected ${length}`);
  return v;
}

function intArray(v: unknown, what: string, length?: number): number[] {
  const a = array(v, what, length);
  for (let i = 0; i < a.length; i++) {
    // default_left is a list of 0/1 in XGBoost 1.6+, of booleans in some writers.
    if (typeof a[i] === 'boolean') a[i] = a[i] ? 1 : 0;
    if (!Number.isInteger(a[i])) throw new ModelFormatError(`${what}[${i}] is ${JSON.stringify(a[i])}, not an integer`);
  }
  return a as number[];
}

function numberArray(v: unknown, what: string, length: number): number[] {
  const a = array(v, what, length);
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number') throw new ModelFormatError(`${what}[${i}] is not a number`);
  return a as number[];
}

/** A non-negative integer, which XGBoost writes as a decimal string ("16"). */
function count(v: unknown, what: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new ModelFormatError(`${what} is ${JSON.stringify(v)}, not a count`);
  return n;
}
