/**
 * A random forest of full trees in XGBoost's save_model JSON layout, for the
 * bench: the shape of a real model (100 trees of depth 6) without training
 * one. Thresholds and leaves are float32 values, as XGBoost writes them.
 */
import { random32 } from '../../test/globaldb/random-ids.js';

export function randomXgboostModel(trees: number, depth: number, features: number, seed: number): object {
  const next = random32(seed);
  const unit = () => next() / 2 ** 32;
  const tree = (id: number) => {
    const nodes = 2 ** (depth + 1) - 1;
    const internal = 2 ** depth - 1;
    const at = (i: number, inner: () => number, leaf: () => number) => (i < internal ? inner() : leaf());
    const idx = Array.from({ length: nodes }, (_, i) => i);
    return {
      base_weights: idx.map(() => 0),
      categories: [],
      categories_nodes: [],
      categories_segments: [],
      categories_sizes: [],
      default_left: idx.map((i) => at(i, () => next() & 1, () => 0)),
      id,
      left_children: idx.map((i) => at(i, () => 2 * i + 1, () => -1)),
      loss_changes: idx.map(() => 0),
      parents: idx.map((i) => (i === 0 ? 2147483647 : (i - 1) >> 1)),
      right_children: idx.map((i) => at(i, () => 2 * i + 2, () => -1)),
      split_conditions: idx.map((i) => at(i, () => Math.fround(unit()), () => Math.fround((unit() - 0.5) * 0.2))),
      split_indices: idx.map((i) => at(i, () => next() % features, () => 0)),
      split_type: idx.map(() => 0),
      sum_hessian: idx.map(() => 1),
      tree_param: { num_deleted: '0', num_feature: String(features), num_nodes: String(nodes), size_leaf_vector: '0' },
    };
  };
  return {
    learner: {
      attributes: {},
      feature_names: [],
      feature_types: [],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: String(trees), size_leaf_vector: '0' },
          tree_info: new Array(trees).fill(0),
          trees: Array.from({ length: trees }, (_, t) => tree(t)),
        },
        name: 'gbtree',
      },
      learner_model_param: { base_score: '5E-1', boost_from_average: '1', num_class: '0', num_feature: String(features), num_target: '1' },
      objective: { name: 'binary:logistic', reg_loss_param: { scale_pos_weight: '1' } },
    },
    version: [1, 7, 4],
  };
}
