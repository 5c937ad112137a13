/**
 * The ranking work: drop blacklisted candidates, score the rest with the
 * user's plan (an algorithm chain), then take the best `top_k`, at most
 * `max_per_category` items of one category (item attributes from a global map).
 *
 * work_config.ini keys: blacklist (global set), category_map (global map),
 * max_per_category (0 = no cap), candidate_table (global kv: key 0 holds the
 * JSON candidate list ranked when a Call names no candidates, as offline runs do),
 * item_features (a remote source of extra features per item, as `pairs`
 * fid:value or a JSON object {fid: value}). Whether a failing feature source
 * fails the request is the source's `required` setting: optional, the items
 * are scored without those features; required, the call fails.
 */
import type { KvTable } from '../globaldb/table.js';
import type { CandidateBatch, RankOutcome, Work, WorkContext } from '../src/pool/work.js';
import type { RankBatch } from '../src/rpc/rank-batch.js';
import { rankBatchFromJson } from '../src/rpc/rank-json.js';

async function rank(request: RankBatch, ctx: WorkContext): Promise<RankOutcome> {
  const batch = ctx.params.item_features ? await withRemoteFeatures(request, ctx.params.item_features, ctx) : request;
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

/** The batch with each item's remote features appended to its own. */
async function withRemoteFeatures(batch: RankBatch, source: string, ctx: WorkContext): Promise<RankBatch> {
  const values = await ctx.remote[source]!.mget(Array.from(batch.itemIds as ArrayLike<number | bigint>));
  ctx.mark('remote');
  if (values.every((v) => v === null)) return batch;
  const extra = values.map(remoteFeatures);
  const added = extra.reduce((n, e) => n + e.ids.length, 0);
  const featureOffsets = new Uint32Array(batch.count + 1);
  const featureIds = new Uint32Array(batch.featureIds.length + added);
  const featureValues = new Float32Array(batch.featureValues.length + added);
  let at = 0;
  for (let i = 0; i < batch.count; i++) {
    const from = batch.featureOffsets[i]!;
    const to = batch.featureOffsets[i + 1]!;
    featureIds.set(batch.featureIds.subarray(from, to), at);
    featureValues.set(batch.featureValues.subarray(from, to), at);
    at += to - from;
    featureIds.set(extra[i]!.ids, at);
    featureValues.set(extra[i]!.values, at);
    at += extra[i]!.ids.length;
    featureOffsets[i + 1] = at;
  }
  return { ...batch, featureOffsets, featureIds, featureValues };
}

function remoteFeatures(v: unknown): { ids: number[]; values: number[] } {
  if (v === null || typeof v !== 'object') return { ids: [], values: [] };
  if ('ids' in v && 'scores' in v) {
    const p = v as { ids: string[]; scores: Float64Array };
    return { ids: p.ids.map(Number), values: Array.from(p.scores) };
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([k, x]) => /^\d+$/.test(k) && typeof x === 'number');
  return { ids: entries.map(([k]) => Number(k)), values: entries.map(([, x]) => x as number) };
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
  async call(body, ctx) {
    const useDefaults = body.candidates === undefined && ctx.params.candidate_table !== undefined;
    const parsed = rankBatchFromJson(body, Number(ctx.params.max_candidates ?? 10000));
    const batch = useDefaults ? { ...defaultCandidates(ctx), ...userPart(parsed) } : parsed;
    const out = await rank(batch, ctx);
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
