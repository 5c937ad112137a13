import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GbdtRow } from '../../globaldb/gbdt-row.js';
import { loadTable } from '../../globaldb/load-table.js';
import { openTable } from '../../globaldb/open-table.js';
import { loadConfig } from '../../src/config/load-config.js';
import { packageRoot } from '../../src/package-root.js';
import { type RankdFixture, startRankdFixture } from '../support/rankd-fixture.js';
import type { Features } from './candidate-batch.js';
import { fmReference, parseWeightsText } from './fm-reference.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/xgboost/', import.meta.url));
const fixture = <T>(file: string): T => JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as T;
const models = {
  binary: { file: 'binary-logistic.model.json', rows: fixture<(number | null)[][]>('binary-logistic.rows.json'), predictions: fixture<number[]>('binary-logistic.predictions.json') },
  reg: { file: 'reg-squarederror.model.json', rows: fixture<(number | null)[][]>('reg-squarederror.rows.json'), predictions: fixture<number[]>('reg-squarederror.predictions.json') },
};

// Shipped alg/rank.ini, digit mode: bucket (uid/10)%10 — 5-6 fm_main, 7-8 gbdt_main, others lr_main.
const LR_USER = 12345;
const FM_USER = 51;
const GBDT_USER = 71;
const ITEM_BASE = 900_000_000;

let rankd: RankdFixture;
const modelFile = () => path.join(rankd.configDir, 'data', 'gbdt_model.json');

beforeAll(async () => {
  // The shipped config, with XGBoost's binary:logistic fixture in place of the sample gbdt model
  // (its predictions are known) and no per-category cap (every candidate comes back).
  rankd = await startRankdFixture(
    (c) => {
      c.globaldb.graceMs = 50;
    },
    (dir) => {
      copyFileSync(path.join(FIXTURES, models.binary.file), path.join(dir, 'data', 'gbdt_model.json'));
      const works = path.join(dir, 'work_config.ini');
      writeFileSync(works, readFileSync(works, 'utf8').replace(/^max_per_category\s*=.*$/m, 'max_per_category = 0'));
    },
  );
});

afterAll(async () => {
  await rankd?.stop();
});

/** Rows of an XGBoost fixture as candidates: feature id = column, missing columns absent. */
function candidatesOf(rows: (number | null)[][]) {
  return rows.map((row, i) => {
    const present = row.flatMap((v, c) => (v === null ? [] : [c]));
    return { itemId: ITEM_BASE + i, featureIds: present, featureValues: present.map((c) => row[c]!) };
  });
}

/** Scores by candidate index from a reply (items come back best first). */
function scoresByIndex(items: { itemId: unknown; score: number }[], count: number): number[] {
  const scores = new Array<number>(count).fill(Number.NaN);
  for (const item of items) scores[Number(item.itemId) - ITEM_BASE] = item.score;
  return scores;
}

async function expectXgboostScores(model: (typeof models)[keyof typeof models], minGeneration = 0): Promise<void> {
  const reply = await rankd.rank.rank({ userId: GBDT_USER, candidates: candidatesOf(model.rows) });
  expect(reply.algorithms).toEqual(['gbdt_main']);
  expect(Number(reply.generation)).toBeGreaterThanOrEqual(minGeneration);
  const scores = scoresByIndex(reply.items, model.rows.length);
  scores.forEach((s, i) => expect(Math.abs(s - model.predictions[i]!), `row ${i}`).toBeLessThan(1e-5));
}

describe('plans across models', () => {
  it('serves lr, fm and gbdt by plan bucket and names the model in the reply', async () => {
    const candidates = [{ itemId: 1001, featureIds: [3, 77, 5000], featureValues: [1, 0.5, 2] }];
    const served = await Promise.all(
      [LR_USER, FM_USER, GBDT_USER].map(async (userId) => {
        const r = await rankd.rank.rank({ userId, candidates });
        return [r.plan, r.algorithms];
      }),
    );
    expect(served).toEqual([
      ['-1', ['lr_main']],
      ['5', ['fm_main']],
      ['7', ['gbdt_main']],
    ]);
  });

  it('fm scores match the FM definition over the shipped fm tables, user features included', async () => {
    const w = parseWeightsText(readFileSync(path.join(rankd.configDir, 'data', 'fm_weights.txt'), 'utf8'));
    const v = parseWeightsText(readFileSync(path.join(rankd.configDir, 'data', 'fm_factors.txt'), 'utf8'));
    const user: Features = [[591_093_154, 1], [42, 0.5]];
    const candidates = [
      { itemId: ITEM_BASE, featureIds: [3, 77, 5000], featureValues: [1, 0.5, 2] },
      { itemId: ITEM_BASE + 1, featureIds: [9, 16000, 4_000_000_000], featureValues: [1, 1, 0.25] },
      { itemId: ITEM_BASE + 2, featureIds: [], featureValues: [] },
    ];
    const reply = await rankd.rank.rank({
      userId: FM_USER,
      userFeatureIds: user.map(([id]) => id),
      userFeatureValues: user.map(([, x]) => x),
      candidates,
    });
    const scores = scoresByIndex(reply.items, candidates.length);
    candidates.forEach((c, i) => {
      const features: Features = c.featureIds.map((id, j) => [id, c.featureValues[j]!]);
      expect(scores[i]).toBeCloseTo(fmReference(w, v, [...user, ...features]), 9);
    });
  });

  it('gbdt scores match XGBoost within 1e-5, and explain gives per-algorithm scores', async () => {
    await expectXgboostScores(models.binary);
    const reply = await rankd.rank.rank({ userId: GBDT_USER, candidates: candidatesOf(models.binary.rows.slice(0, 5)), explain: true });
    for (const item of reply.items) expect(item.algorithmScores).toEqual([item.score]);
  });

  it('the Call form of the rank work names the model and generation too', async () => {
    const reply = (await rankd.rank.call({ api: 'rank', uid: GBDT_USER, candidates: [{ id: 1, features: { '0': 0.5, '3': -1 } }], explain: true })) as {
      algorithms: string[];
      generation: number;
      items: { algorithm_scores: number[] }[];
    };
    expect(reply.algorithms).toEqual(['gbdt_main']);
    expect(reply.generation).toBeGreaterThanOrEqual(1);
    expect(reply.items[0]!.algorithm_scores).toHaveLength(1);
  });
});

describe('UpdateGlobal of a model', () => {
  it('swaps gbdt models under load with 0 failed calls; replies after each swap carry the new model scores', async () => {
    let running = true;
    let calls = 0;
    const failures: unknown[] = [];
    const load = Array.from({ length: 4 }, async () => {
      const candidates = candidatesOf(models.binary.rows.slice(0, 50));
      while (running) {
        try {
          await rankd.rank.rank({ userId: GBDT_USER, candidates });
          calls++;
        } catch (e) {
          failures.push(e);
        }
      }
    });
    try {
      for (let i = 0; i < 6; i++) {
        const next = i % 2 === 0 ? models.reg : models.binary;
        copyFileSync(path.join(FIXTURES, next.file), modelFile());
        const swap = await rankd.control.updateGlobal(['gbdt_model']);
        expect(swap.new_generation).toBe(swap.old_generation + 1);
        await expectXgboostScores(next, swap.new_generation);
      }
    } finally {
      running = false;
      await Promise.all(load);
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(6);
  });

  it.each([
    ['truncated JSON', () => readFileSync(path.join(FIXTURES, models.reg.file), 'utf8').slice(0, 10_000), /gbdt_model\.json: XGBoost model refused: not JSON/],
    ['a dart booster', () => readFileSync(path.join(FIXTURES, 'dart.model.json'), 'utf8'), /booster "dart" is not supported/],
  ])('refuses %s with the reason and keeps serving the old model', async (_, contents, reason) => {
    copyFileSync(path.join(FIXTURES, models.binary.file), modelFile());
    await rankd.control.updateGlobal(['gbdt_model']);
    const before = await rankd.control.status();
    writeFileSync(modelFile(), contents());
    await expect(rankd.control.updateGlobal(['gbdt_model'])).rejects.toMatchObject({ code: status.FAILED_PRECONDITION, details: expect.stringMatching(reason) });
    expect((await rankd.control.status()).generation).toBe(before.generation);
    await expectXgboostScores(models.binary);
  });
});

describe('the shipped sample models', () => {
  it('load through the loader thread and score the default candidates', async () => {
    const config = loadConfig(path.join(packageRoot, 'config'), { env: {} });
    const spec = config.globaldb.tables.find((t) => t.name === 'gbdt_model')!;
    expect(spec).toMatchObject({ kind: 'gbdt' });
    const model = openTable(await loadTable(spec));
    if (model.kind !== 'gbdt') throw new Error(`gbdt_model is a ${model.kind}`);
    expect(model).toMatchObject({ objective: 'binary:logistic', features: 16384, trees: 30 });
    const line = readFileSync(path.join(packageRoot, 'config', 'data', 'candidates.txt'), 'utf8').split('\n').find((l) => l.startsWith('0\t'))!;
    const candidates = JSON.parse(line.slice(2)) as { features: Record<string, number> }[];
    const scores = candidates.map((c) => {
      const row = new GbdtRow(model.features);
      for (const [id, x] of Object.entries(c.features)) row.set(Number(id), x);
      return model.predict(row);
    });
    expect(scores.every((s) => s > 0 && s < 1)).toBe(true);
    expect(new Set(scores).size).toBeGreaterThan(20);
    for (const name of ['fm_weights', 'fm_factors']) {
      const t = openTable(await loadTable(config.globaldb.tables.find((s) => s.name === name)!));
      expect(t).toMatchObject({ kind: 'weights', rows: 2049, cols: name === 'fm_weights' ? 1 : 8 });
    }
  });
});
