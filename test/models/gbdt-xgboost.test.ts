import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import gbdt from '../../algorithms/gbdt.js';
import { readGbdtFile } from '../../globaldb/gbdt-file.js';
import { GbdtRow } from '../../globaldb/gbdt-row.js';
import { BoundTables } from '../../src/pool/bound-tables.js';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';
import { candidateBatch, type Features } from './candidate-batch.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/xgboost/', import.meta.url));
const fixture = <T>(file: string): T => JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as T;

/** A model, its input rows (null = missing) and XGBoost's predictions, made by make_fixtures.py. */
function reference(name: string) {
  return {
    file: path.join(FIXTURES, `${name}.model.json`),
    rows: fixture<(number | null)[][]>(`${name}.rows.json`),
    predictions: fixture<number[]>(`${name}.predictions.json`),
  };
}

/** A row as sparse features: feature id = column index, missing columns absent. */
const sparse = (row: (number | null)[]): Features => row.flatMap((v, c) => (v === null ? [] : [[c, v] as [number, number]]));

function score(file: string, candidates: Features[], user: Features = []): Float64Array {
  const table = readGbdtFile(file, 'model');
  const batch = candidateBatch(candidates, user);
  gbdt.create('gbdt_test', { model: 'model' }).run(batch, new BoundTables(1, { model: table.image }));
  return batch.scores;
}

describe.each([
  ['binary-logistic', 'binary:logistic', 16],
  ['reg-squarederror', 'reg:squarederror', 10],
])('%s: rankd matches XGBoost', (name, objective, features) => {
  const { file, rows, predictions } = reference(name);

  it('fixtures exercise missing values, exact thresholds and ≥ 50 trees', () => {
    const table = readGbdtFile(file, name);
    expect(table).toMatchObject({ kind: 'gbdt', objective, features });
    expect(table.trees).toBeGreaterThanOrEqual(50);
    expect(rows[0]!.every((v) => v === null)).toBe(true);
    expect(rows.flat().filter((v) => v === null).length).toBeGreaterThan(rows.length);
    const model = fixture<{ learner: { gradient_booster: { model: { trees: { split_conditions: number[] }[] } } } }>(`${name}.model.json`);
    const thresholds = new Set(model.learner.gradient_booster.model.trees.flatMap((t) => t.split_conditions.map(Math.fround)));
    expect(rows.flat().filter((v) => v !== null && thresholds.has(v)).length).toBeGreaterThan(20);
  });

  it('within 1e-5 on every row, through the gbdt algorithm with sparse candidates', () => {
    const scores = score(file, rows.map(sparse));
    rows.forEach((_, i) => expect(Math.abs(scores[i]! - predictions[i]!), `row ${i}`).toBeLessThan(1e-5));
  });

  it('within 1e-5 on dense rows given to the table directly (null = missing)', () => {
    const table = readGbdtFile(file, name);
    rows.forEach((row, i) => expect(Math.abs(table.predict(GbdtRow.of(row)) - predictions[i]!)).toBeLessThan(1e-5));
  });

  it('takes user features as columns of every candidate', () => {
    // The first three columns sent once as user features, the rest per candidate.
    const some = rows.slice(1, 40);
    const user: Features = [[0, 0.25], [1, -0.5], [2, 1.5]];
    const scores = score(file, some.map((r) => sparse(r).filter(([c]) => c > 2)), user);
    const expected = score(file, some.map((r) => [...user, ...sparse(r).filter(([c]) => c > 2)]));
    expect(Array.from(scores)).toEqual(Array.from(expected));
  });
});

describe('gbdt feature columns', () => {
  const { file, rows, predictions } = reference('binary-logistic');

  it("a candidate's value for a column wins over the user's", () => {
    const row = sparse(rows[5]!);
    const user: Features = row.map(([c]) => [c, 123.5]);
    expect(Math.abs(score(file, [row], user)[0]! - predictions[5]!)).toBeLessThan(1e-5);
  });

  it('ignores feature ids beyond num_feature', () => {
    const withExtra = [...sparse(rows[7]!), [16, 5], [4_000_000_000, -1]] as Features;
    expect(Math.abs(score(file, [withExtra])[0]! - predictions[7]!)).toBeLessThan(1e-5);
  });

  it('an empty candidate is the all-missing row', () => {
    expect(Math.abs(score(file, [[]])[0]! - predictions[0]!)).toBeLessThan(1e-5);
  });
});

describe('models rankd refuses, with the reason', () => {
  const dir = createTempDir('gbdt');
  afterAll(() => removeTempDir(dir));
  const valid = () => fixture<Record<string, any>>('binary-logistic.model.json');
  const write = (name: string, model: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof model === 'string' ? model : JSON.stringify(model));
    return file;
  };

  it.each([
    ['a multi-class model (XGBoost multi:softprob)', path.join(FIXTURES, 'multi-softprob.model.json'), /objective "multi:softprob" is not supported/],
    ['a dart booster (XGBoost)', path.join(FIXTURES, 'dart.model.json'), /booster "dart" is not supported; rankd evaluates gbtree/],
  ])('%s', (_, file, reason) => {
    expect(() => readGbdtFile(file, 'm')).toThrow(reason);
  });

  it('truncated JSON, naming the file', () => {
    const file = write('truncated.json', readFileSync(path.join(FIXTURES, 'binary-logistic.model.json'), 'utf8').slice(0, 5000));
    expect(() => readGbdtFile(file, 'm')).toThrow(/truncated\.json: XGBoost model refused: not JSON/);
  });

  it('a JSON file that is not a model', () => {
    expect(() => readGbdtFile(write('other.json', { weights: [1, 2] }), 'm')).toThrow(/learner is missing/);
  });

  it('an unsupported objective', () => {
    const m = valid();
    m.learner.objective.name = 'reg:tweedie';
    expect(() => readGbdtFile(write('tweedie.json', m), 'm')).toThrow(/objective "reg:tweedie" is not supported; rankd evaluates reg:squarederror and binary:logistic/);
  });

  it('a categorical split', () => {
    const m = valid();
    m.learner.gradient_booster.model.trees[3].split_type[0] = 1;
    expect(() => readGbdtFile(write('categorical.json', m), 'm')).toThrow(/trees\[3\]: node 0 is a categorical split/);
  });

  it('a split on a feature beyond num_feature', () => {
    const m = valid();
    m.learner.gradient_booster.model.trees[0].split_indices[0] = 99;
    expect(() => readGbdtFile(write('feature.json', m), 'm')).toThrow(/splits on feature 99, outside 0\.\.15/);
  });

  it('a node reached twice (not a tree)', () => {
    const m = valid();
    const tree = m.learner.gradient_booster.model.trees[0];
    tree.right_children[0] = tree.left_children[0];
    expect(() => readGbdtFile(write('cycle.json', m), 'm')).toThrow(/reached twice/);
  });

  it('a binary:logistic base_score outside (0, 1)', () => {
    const m = valid();
    m.learner.learner_model_param.base_score = '1.5E0';
    expect(() => readGbdtFile(write('base.json', m), 'm')).toThrow(/base_score 1.5 must lie strictly between 0 and 1/);
  });

  it('a missing file', () => {
    expect(() => readGbdtFile(path.join(dir, 'nope.json'), 'm')).toThrow(/nope\.json: no such file/);
  });
});

/** A tree in XGBoost's JSON arrays from nested [feature, threshold, defaultLeft, left, right] splits and numeric leaves. */
type Node = number | [number, number, boolean, Node, Node];
function xgboostTree(root: Node, id: number) {
  const t = { left_children: [] as number[], right_children: [] as number[], split_indices: [] as number[], split_conditions: [] as number[], default_left: [] as number[] };
  const add = (node: Node): number => {
    const i = t.left_children.length;
    for (const a of Object.values(t)) a.push(0);
    if (typeof node === 'number') {
      t.left_children[i] = t.right_children[i] = -1;
      t.split_conditions[i] = node;
    } else {
      const [feature, threshold, defaultLeft, left, right] = node;
      t.split_indices[i] = feature;
      t.split_conditions[i] = threshold;
      t.default_left[i] = defaultLeft ? 1 : 0;
      t.left_children[i] = add(left);
      t.right_children[i] = add(right);
    }
    return i;
  };
  add(root);
  const n = t.left_children.length;
  return { ...t, id, split_type: new Array(n).fill(0), tree_param: { num_nodes: String(n), num_feature: '2', size_leaf_vector: '0' } };
}

describe('a model worked out by hand', () => {
  // Five trees (four walked in step, one alone), one-leaf trees, uneven depths.
  const trees: Node[] = [
    0.25,
    [0, 1, true, -1, 2],
    [1, 0.5, false, [0, -1, true, 10, 20], 30],
    0.125,
    [1, 0, true, 100, 200],
  ];
  const model = {
    learner: {
      learner_model_param: { base_score: '5E-1', num_feature: '2', num_class: '0', num_target: '1' },
      objective: { name: 'reg:squarederror' },
      gradient_booster: { name: 'gbtree', model: { gbtree_model_param: { num_trees: '5' }, trees: trees.map(xgboostTree) } },
    },
  };

  it.each([
    // base .5 + leaves of trees 0..4
    ['both present', [0, 1], 0.5 + 0.25 - 1 + 30 + 0.125 + 200],
    ['both missing: default directions', [null, null], 0.5 + 0.25 - 1 + 30 + 0.125 + 100],
    ['the deepest path', [-2, 0.25], 0.5 + 0.25 - 1 + 10 + 0.125 + 200],
    ['x equal to a threshold goes right', [1, null], 0.5 + 0.25 + 2 + 30 + 0.125 + 100],
  ])('%s', (_, row, expected) => {
    const dir = createTempDir('gbdt');
    try {
      const file = path.join(dir, 'hand.json');
      writeFileSync(file, JSON.stringify(model));
      expect(score(file, [sparse(row as (number | null)[])])[0]).toBe(expected);
    } finally {
      removeTempDir(dir);
    }
  });
});

describe('model format variants', () => {
  it('reads base_score written as a one-element list (XGBoost 3)', () => {
    const { file, rows, predictions } = reference('reg-squarederror');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.learner.learner_model_param.base_score = `[${m.learner.learner_model_param.base_score}]`;
    const dir = createTempDir('gbdt');
    try {
      const copy = path.join(dir, 'list.json');
      writeFileSync(copy, JSON.stringify(m));
      expect(Math.abs(score(copy, [sparse(rows[3]!)])[0]! - predictions[3]!)).toBeLessThan(1e-5);
    } finally {
      removeTempDir(dir);
    }
  });
});
