/**
 * The ranking work: drop blacklisted candidates, score the rest with the
 * user's plan (an algorithm chain), then take the best `top_k`, at most
 * `max_per_category` items of one category (item attributes from a global map).
 *
 * work_config.ini keys: blacklist (global set), category_map (global map),
 * max_per_category (0 = no cap), candidate_table (global kv: key 0 holds the
 * JSON candidate list ranked when a Call names no candidates, as offline runs do).
 */
import type { KvTable } from '../globaldb/table.js';
import type { CandidateBatch, RankOutcome, Work, WorkContext } from '../src/pool/work.js';
import type { RankBatch } from '../src/rpc/rank-batch.js';
import { rankBatchFromJson } from '../src/rpc/rank-json.js';

function rank(batch: RankBatch, ctx: WorkContext): RankOutcome {
  const n = batch.count;
  const keep = new Uint8Array(n).fill(1);
  if (ctx.params.blacklist) {
    const hit = ctx.global.set(ctx.params.blacklist).hasMany(batch.itemIds);
    for (let i = 0; i < n; i++) keep[i] = hit[i]! ^ 1;
  }
  ctx.mark('filter');

  const plan = ctx.plan(batch.userId);
  const scores = new Float64Array(n);
  const candidates: CandidateBatch = { ...batch, scores, keep };
  const algorithmScores = batch.explain ? [] as Float64Array[] : undefined;
  for (const algorithm of plan.algorithms) {
    algorithm.run(candidates, ctx.global);
    algorithmScores?.push(scores.slice());
  }
  ctx.mark('score');

  const cap = Number(ctx.params.max_per_category ?? 0);
  const categories = ctx.params.category_map && cap > 0 ? ctx.global.map(ctx.params.category_map).getMany(batch.itemIds) : undefined;
  const order = selectTop(scores, keep, batch.topK || n, categories, cap);
  ctx.mark('select');
  return { order, scores, plan, algorithmScores };
}

/** Kept indices by descending score, at most `cap` per category when categories are given. */
function selectTop(scores: Float64Array, keep: Uint8Array, k: number, categories: Uint32Array | undefined, cap: number): Uint32Array {
  const kept: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i] === 1) kept.push(i);
  kept.sort((a, b) => scores[b]! - scores[a]! || a - b);
  if (categories === undefined) return Uint32Array.from(kept.slice(0, k));
  const taken = new Map<number, number>();
  const out: number[] = [];
  for (const i of kept) {
    if (out.length === k) break;
    const c = categories[i]!;
    const t = taken.get(c) ?? 0;
    if (t >= cap) continue;
    taken.set(c, t + 1);
    out.push(i);
  }
  return Uint32Array.from(out);
}

/** The default candidates as columns, parsed once per table version (a new generation opens a new table object). */
const defaults = new WeakMap<KvTable, RankBatch>();

function defaultCandidates(ctx: WorkContext): RankBatch {
  const table = ctx.global.kv(ctx.params.candidate_table!);
  let batch = defaults.get(table);
  if (batch === undefined) {
    const json = table.getString(0);
    if (json === undefined) throw new Error(`global table ${table.name} has no candidate list under key 0`);
    batch = rankBatchFromJson({ candidates: JSON.parse(json) as unknown }, Number.POSITIVE_INFINITY);
    defaults.set(table, batch);
  }
  return batch;
}

const work: Work = {
  rank,
  call(body, ctx) {
    const useDefaults = body.candidates === undefined && ctx.params.candidate_table !== undefined;
    const parsed = rankBatchFromJson(body, Number(ctx.params.max_candidates ?? 10000));
    const batch = useDefaults ? { ...defaultCandidates(ctx), ...userPart(parsed) } : parsed;
    const out = rank(batch, ctx);
    const id = (i: number) => String(batch.itemIds[i]);
    return {
      plan: out.plan.code,
      generation: ctx.global.generation,
      algorithms: out.plan.names,
      items: Array.from(out.order, (i) => ({
        id: id(i),
        score: out.scores[i],
        ...(out.algorithmScores ? { algorithm_scores: out.algorithmScores.map((s) => s[i]) } : {}),
      })),
    };
  },
};

/** The request's own fields, laid over shared default candidates. */
function userPart(b: RankBatch): Partial<RankBatch> {
  const { api, userId, userIdNumber, userFeatureIds, userFeatureValues, topK, requestId, wantTimings, explain } = b;
  return { api, userId, userIdNumber, userFeatureIds, userFeatureValues, topK, requestId, wantTimings, explain };
}

export default work;
