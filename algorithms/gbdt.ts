/**
 * Gradient-boosted trees trained by XGBoost, served from a global `gbdt`
 * table (an XGBoost save_model JSON file flattened into shared memory; see
 * globaldb/gbdt-model-json.ts). The score is what XGBoost's predict() gives:
 * the probability for binary:logistic, the value for reg:squarederror.
 *
 * Features are columns by index: feature id c is the model's column c; a
 * column a candidate does not send is missing and follows each node's
 * default direction. The user's features count as features of every
 * candidate; a candidate's own value for the same column wins. Ids at or
 * beyond the model's num_feature are ignored (no split reads them).
 *
 * ini keys: model = <global gbdt table>.
 */
import { GbdtRow } from '../globaldb/gbdt-row.js';
import type { GbdtTable } from '../globaldb/gbdt-table.js';
import type { AlgorithmModule, CandidateBatch, GlobalTables } from '../src/pool/work.js';

const gbdt: AlgorithmModule = {
  create(name, params) {
    const modelName = params.model;
    if (!modelName) throw new Error('gbdt needs "model" (the name of a global gbdt table)');
    // Rows reused across calls (one instance per pool thread): the user's columns,
    // and a candidate's on top of them, put back to the user's after each candidate.
    let user = new GbdtRow(0);
    let row = new GbdtRow(0);
    return {
      name,
      run(batch: CandidateBatch, global: GlobalTables) {
        const table = global.table(modelName);
        if (table.kind !== 'gbdt') throw new Error(`gbdt "${name}": global table "${modelName}" is a ${table.kind}, not a gbdt model`);
        const model: GbdtTable = table;
        const columns = model.features;
        if (row.columns < columns) {
          user = new GbdtRow(columns);
          row = new GbdtRow(columns);
        }

        const uf = batch.userFeatureIds;
        const uv = batch.userFeatureValues;
        for (let j = 0; j < uf.length; j++) {
          const c = uf[j]!;
          if (c < columns) {
            user.set(c, uv[j]!);
            row.set(c, uv[j]!);
          }
        }
        const { featureOffsets: off, featureIds: fid, featureValues: fv, scores, keep } = batch;
        for (let i = 0; i < batch.count; i++) {
          if (keep[i] === 0) continue;
          const start = off[i]!;
          const end = off[i + 1]!;
          for (let j = start; j < end; j++) {
            const c = fid[j]!;
            if (c < columns) row.set(c, fv[j]!);
          }
          scores[i] = model.predict(row);
          for (let j = start; j < end; j++) {
            const c = fid[j]!;
            if (c < columns) row.copy(c, user);
          }
        }
        for (let j = 0; j < uf.length; j++) {
          const c = uf[j]!;
          if (c < columns) {
            user.clear(c);
            row.clear(c);
          }
        }
      },
    };
  },
};

export default gbdt;
