/**
 * npm run bench:models [-- --quick]
 *
 * Nanoseconds per candidate, inline in this thread, for rankd's lr (40
 * features, 2^20-row model), fm (40 features, k = 16, 2^18 rows) and gbdt
 * (100 trees of depth 6 over 100 columns, 40 present per candidate), each
 * next to a straightforward version measured in the same run (candidates as
 * objects, weights in JS Maps, trees walked recursively over the parsed
 * JSON; bench/models/naive-models.ts). Runs of the two alternate so drift on
 * this shared machine hits both alike; figures are medians. Then requests
 * per second of a rankd server whose every plan is gbdt, 200 candidates per
 * Rank call, through gRPC and the pool (server and load generator share this
 * process, as the test fixture runs it: one pool thread per core).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fm from '../algorithms/fm.js';
import gbdt from '../algorithms/gbdt.js';
import lr from '../algorithms/lr.js';
import { parseXgboostModel } from '../globaldb/gbdt-model-json.js';
import { buildGbdtTable } from '../globaldb/gbdt-table.js';
import { buildWeightsTable } from '../globaldb/weights-table.js';
import { BoundTables } from '../src/pool/bound-tables.js';
import type { Algorithm, CandidateBatch } from '../src/pool/work.js';
import { encodeRankRequest } from '../src/rpc/rank-request.js';
import { random32 } from '../test/globaldb/random-ids.js';
import { startRankdFixture } from '../test/support/rankd-fixture.js';
import { median, rankLoadClient, runLoad } from './engine/rank-load.js';
import { type ColumnCandidate, type JsonTree, naiveFm, naiveGbdt, naiveLr, type NaiveCandidate, type NaiveFeature } from './models/naive-models.js';
import { randomXgboostModel } from './models/xgboost-forest.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 9;
const BUDGET_MS = quick ? 150 : 600;
const LOAD_SECONDS = quick ? 2 : 5;
const CONCURRENCY = 16;

const CANDIDATES = 200;
const FEATURES = 40;
const USER_FEATURES = 20;
const BATCHES = 8;
const LR_ROWS = 1 + 2 ** 20;
const FM_ROWS = 1 + 2 ** 18;
const FM_K = 16;
const TREES = 100;
const DEPTH = 6;
const COLUMNS = 100;
const USER_COLUMNS = 10;

const next = random32(20261122);
const unit = () => Math.fround(next() / 2 ** 32);

/** One request's candidates in both shapes: rankd's columns and the naive objects. */
interface Batch {
  columns: CandidateBatch;
  user: NaiveFeature[];
  objects: NaiveCandidate[];
}

/** Candidates with `perCandidate` distinct features from `pickId`, and `perUser` user features. */
function makeBatch(perCandidate: number, perUser: number, pickId: () => number): Batch {
  const distinct = (n: number): NaiveFeature[] => {
    const ids = new Set<number>();
    while (ids.size < n) ids.add(pickId());
    return [...ids].map((id) => ({ id, value: unit() }));
  };
  const user = distinct(perUser);
  const objects = Array.from({ length: CANDIDATES }, (_, i) => ({ id: i + 1, features: distinct(perCandidate) }));
  const all = objects.flatMap((c) => c.features);
  return {
    user,
    objects,
    columns: {
      count: CANDIDATES,
      userId: 1n,
      itemIds: Float64Array.from(objects, (c) => c.id),
      featureOffsets: Uint32Array.from({ length: CANDIDATES + 1 }, (_, i) => i * perCandidate),
      featureIds: Uint32Array.from(all, (f) => f.id),
      featureValues: Float32Array.from(all, (f) => f.value),
      userFeatureIds: Uint32Array.from(user, (f) => f.id),
      userFeatureValues: Float32Array.from(user, (f) => f.value),
      scores: new Float64Array(CANDIDATES),
      keep: new Uint8Array(CANDIDATES).fill(1),
    },
  };
}

interface Timing {
  /** Wall-clock nanoseconds per candidate: the figure reported. */
  wall: number;
  /**
   * CPU nanoseconds per candidate of this process (only this thread works
   * here, bar the GC's helpers): shown beside wall time because on a shared,
   * loaded machine the wall clock also counts time other processes ran.
   */
  cpu: number;
}

/** Time per candidate of scoring batches round-robin for BUDGET_MS. */
function nsPerCandidate(score: (b: number) => void): Timing {
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + BUDGET_MS;
  do score(n++ % BATCHES);
  while (performance.now() < end);
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const candidates = n * CANDIDATES;
  return { wall: (wall * 1e6) / candidates, cpu: ((used.user + used.system) * 1e3) / candidates };
}

interface Contest {
  name: string;
  inline: (b: number) => void;
  naive: (b: number) => void;
  /** Scores of batch 0 both ways, to check the two compute the same thing. */
  check: () => [Float64Array, number[]];
}

interface Result {
  inline: Timing;
  naive: Timing;
}

function measure(contest: Contest): Result {
  const [ours, theirs] = contest.check();
  const worst = Math.max(...theirs.map((s, i) => Math.abs(s - ours[i]!)));
  if (!(worst < 1e-9)) throw new Error(`${contest.name}: rankd and the naive version disagree by ${worst}`);
  // The previous contest's models (Maps of millions of objects) go before this one
  // is timed, so it does not pay for their collection. scripts/bench.sh passes --expose-gc.
  globalThis.gc?.();
  nsPerCandidate(contest.inline); // warm-up: JIT, caches
  nsPerCandidate(contest.naive);
  const inline: Timing[] = [];
  const naive: Timing[] = [];
  for (let r = 0; r < RUNS; r++) {
    inline.push(nsPerCandidate(contest.inline));
    naive.push(nsPerCandidate(contest.naive));
  }
  const medians = (ts: Timing[]): Timing => ({ wall: median(ts.map((t) => t.wall)), cpu: median(ts.map((t) => t.cpu)) });
  return { inline: medians(inline), naive: medians(naive) };
}

function randomMatrix(rows: number, cols: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => (unit() - 0.5) * 0.2);
}

function lrContest(): Contest {
  const values = randomMatrix(LR_ROWS, 1);
  const global = new BoundTables(1, { w: buildWeightsTable('w', LR_ROWS, 1, values).image });
  const weights = new Map<number, number>();
  values.forEach((x, r) => weights.set(r, x));
  const algorithm = lr.create('lr', { weights: 'w' });
  const batches = Array.from({ length: BATCHES }, () => makeBatch(FEATURES, USER_FEATURES, () => next()));
  return contest('lr', algorithm, global, batches, (b) => naiveLr(weights, LR_ROWS, b.user, b.objects));
}

function fmContest(): Contest {
  const w = randomMatrix(FM_ROWS, 1);
  const v = randomMatrix(FM_ROWS, FM_K);
  const global = new BoundTables(1, {
    w: buildWeightsTable('w', FM_ROWS, 1, w).image,
    v: buildWeightsTable('v', FM_ROWS, FM_K, v).image,
  });
  const wMap = new Map<number, number>();
  const vMap = new Map<number, number[]>();
  for (let r = 0; r < FM_ROWS; r++) {
    wMap.set(r, w[r]!);
    vMap.set(r, Array.from(v.subarray(r * FM_K, (r + 1) * FM_K)));
  }
  const algorithm = fm.create('fm', { weights: 'w', factors: 'v' });
  const batches = Array.from({ length: BATCHES }, () => makeBatch(FEATURES, USER_FEATURES, () => next()));
  return contest('fm', algorithm, global, batches, (b) => naiveFm(wMap, vMap, FM_ROWS, FM_K, b.user, b.objects));
}

/** gbdt: the model as an XGBoost JSON text, loaded by rankd's parser and, naively, by JSON.parse. */
function gbdtContest(modelJson: string): Contest {
  const global = new BoundTables(1, { m: buildGbdtTable('m', parseXgboostModel(modelJson)).image });
  const parsed = JSON.parse(modelJson) as { learner: { gradient_booster: { model: { trees: JsonTree[] } }; learner_model_param: { base_score: string } } };
  const trees = parsed.learner.gradient_booster.model.trees;
  const baseScore = Number(parsed.learner.learner_model_param.base_score);
  const algorithm = gbdt.create('gbdt', { model: 'm' });
  const batches = Array.from({ length: BATCHES }, () => makeBatch(FEATURES, USER_COLUMNS, () => next() % COLUMNS));
  // Columns as plain objects; the user's columns first, so a candidate's own value wins.
  const byColumn = batches.map((b) =>
    b.objects.map((c): ColumnCandidate => {
      const features: Record<number, number> = {};
      for (const f of b.user) features[f.id] = f.value;
      for (const f of c.features) features[f.id] = f.value;
      return { id: c.id, features };
    }),
  );
  return {
    name: 'gbdt',
    inline: (i) => algorithm.run(batches[i]!.columns, global),
    naive: (i) => naiveGbdt(trees, baseScore, byColumn[i]!),
    check: () => {
      algorithm.run(batches[0]!.columns, global);
      return [batches[0]!.columns.scores, naiveGbdt(trees, baseScore, byColumn[0]!)];
    },
  };
}

function contest(name: string, algorithm: Algorithm, global: BoundTables, batches: Batch[], naive: (b: Batch) => number[]): Contest {
  return {
    name,
    inline: (i) => algorithm.run(batches[i]!.columns, global),
    naive: (i) => naive(batches[i]!),
    check: () => {
      algorithm.run(batches[0]!.columns, global);
      return [batches[0]!.columns.scores, naive(batches[0]!)];
    },
  };
}

/** Requests per second of Rank calls (200 candidates, gbdt for every user) through gRPC and the pool. */
async function gbdtServerRate(modelJson: string): Promise<{ rps: number; p99: number; failed: number }> {
  const rankd = await startRankdFixture(
    (c) => {
      c.pool.threads = os.cpus().length;
    },
    (dir) => {
      writeFileSync(path.join(dir, 'data', 'gbdt_model.json'), modelJson);
      writeFileSync(
        path.join(dir, 'alg', 'rank.ini'),
        '[plans]\nmode = digit\n-1 = gbdt_main\n\n[gbdt_main]\nmodule = gbdt\nmodel = gbdt_model\n',
      );
    },
  );
  try {
    const requests = Array.from({ length: 16 }, (_, r) => {
      const b = makeBatch(FEATURES, USER_COLUMNS, () => next() % COLUMNS).columns;
      return Buffer.from(
        encodeRankRequest({
          userId: 1000 + r,
          userFeatureIds: b.userFeatureIds,
          userFeatureValues: b.userFeatureValues,
          candidates: { itemIds: Float64Array.from(b.itemIds as Float64Array, (id) => id + 1e9), featureOffsets: b.featureOffsets, featureIds: b.featureIds, featureValues: b.featureValues },
          topK: 50,
        }),
      );
    });
    const client = rankLoadClient(`127.0.0.1:${rankd.server.queryPort}`);
    await runLoad(client, requests, CONCURRENCY, 500); // warm-up: connections, JIT in every thread
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await runLoad(client, requests, CONCURRENCY, LOAD_SECONDS * 1000));
    client.close();
    const failed = runs.reduce((n, r) => n + r.failed, 0);
    if (failed > 0) process.stdout.write(`  first error: ${runs.find((r) => r.firstError)?.firstError}\n`);
    return { rps: median(runs.map((r) => r.rps)), p99: median(runs.map((r) => r.p99Ms)), failed };
  } finally {
    await rankd.stop();
  }
}

async function main(): Promise<void> {
  const modelJson = JSON.stringify(randomXgboostModel(TREES, DEPTH, COLUMNS, 7));
  const results = {
    lr: measure(lrContest()),
    fm: measure(fmContest()),
    gbdt: measure(gbdtContest(modelJson)),
  };
  const server = await gbdtServerRate(modelJson);

  process.stdout.write(`bench:models (${quick ? 'quick' : 'full'}; ${os.cpus().length} cores, ${os.cpus()[0]?.model}; medians of ${RUNS} runs)\n`);
  const shapes = { lr: `${FEATURES} features, 2^20 rows`, fm: `${FEATURES} features, k=${FM_K}, 2^18 rows`, gbdt: `${TREES} trees depth ${DEPTH}, ${FEATURES}/${COLUMNS} columns` };
  const ns = (t: Timing) => `${t.wall.toFixed(0).padStart(6)} ns (cpu ${t.cpu.toFixed(0).padStart(6)})`;
  process.stdout.write(`  ns per candidate, wall clock (and CPU time of this process)\n`);
  for (const [name, r] of Object.entries(results)) {
    const shape = shapes[name as keyof typeof shapes];
    process.stdout.write(`  ${name.padEnd(5)} ${shape.padEnd(36)} rankd ${ns(r.inline)}   naive ${ns(r.naive)}   ×${(r.naive.wall / r.inline.wall).toFixed(1)}\n`);
  }
  process.stdout.write(
    `  gbdt through gRPC + pool (${CANDIDATES} candidates, c=${CONCURRENCY}, ${os.cpus().length} threads): ${server.rps.toFixed(0)} req/s, p99 ${server.p99.toFixed(2)} ms, ${server.failed} failed\n`,
  );
  const ratio = (r: Result) => Number((r.naive.wall / r.inline.wall).toFixed(2));
  process.stdout.write(
    `${JSON.stringify({
      bench: 'models',
      lr_ns: Math.round(results.lr.inline.wall),
      fm_ns: Math.round(results.fm.inline.wall),
      gbdt_ns: Math.round(results.gbdt.inline.wall),
      lr_vs_naive: ratio(results.lr),
      fm_vs_naive: ratio(results.fm),
      gbdt_vs_naive: ratio(results.gbdt),
      gbdt_rps: Math.round(server.rps),
    })}\n`,
  );
}

await main();
