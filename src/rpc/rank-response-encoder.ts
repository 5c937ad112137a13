import { RankResponseField, ScoredItemField, StageTimingField } from './field-numbers.js';
import {
  ProtoWriter,
  splitUint64,
  stringFieldSize,
  tagSize,
  utf8Length,
  varint32Size,
  varint64Size,
} from './proto-writer.js';
import type { RankResult, StageTiming } from './rank-result.js';
import { WireType } from './wire-type.js';

const { Varint, Fixed64, LengthDelimited } = WireType;
const TWO_POW_32 = 4294967296;
const ITEM_TAG_SIZE = tagSize(RankResponseField.Items);
/** Tag and float64 of a ScoredItem score or a StageTiming ms. */
const DOUBLE_FIELD_SIZE = 1 + 8;

/**
 * Encodes a RankResponse from a work's columns: the items `order` selects,
 * best first, with each algorithm's score when `algorithmScores` is present.
 * Sizes are computed first, so the bytes are written once into a buffer of
 * exactly the right size that owns its ArrayBuffer (transferable).
 * Throws RangeError for inconsistent input (an order index past itemIds or
 * scores, an item id that is not an exact non-negative integer).
 */
export function encodeRankResponse(r: RankResult): Uint8Array {
  const n = r.order.length;
  const explain = r.algorithmScores !== undefined && r.algorithmScores.length > 0;
  const perItemScores = explain ? r.algorithmScores!.length : 0;
  if (explain) checkAlgorithmScores(r);

  // Pass 1: split the returned ids and size each ScoredItem.
  const idLo = new Uint32Array(n);
  const idHi = new Uint32Array(n);
  const itemBody = new Uint32Array(n);
  splitReturnedIds(r, idLo, idHi);
  const explainSize = perItemScores > 0 ? 1 + varint32Size(perItemScores * 8) + perItemScores * 8 : 0;
  let size = 0;
  for (let i = 0; i < n; i++) {
    let body = explainSize;
    if (idLo[i] !== 0 || idHi[i] !== 0) body += 1 + varint64Size(idLo[i]!, idHi[i]!);
    if (!isPositiveZero(r.scores[r.order[i]!]!)) body += DOUBLE_FIELD_SIZE;
    itemBody[i] = body;
    size += ITEM_TAG_SIZE + varint32Size(body) + body;
  }

  const planBytes = utf8Length(r.plan);
  const requestIdBytes = utf8Length(r.requestId);
  const generation = splitUint64(r.generation, 'generation', { lo: 0, hi: 0 });
  if (planBytes > 0) size += stringFieldSize(RankResponseField.Plan, planBytes);
  if (generation.lo !== 0 || generation.hi !== 0) {
    size += tagSize(RankResponseField.Generation) + varint64Size(generation.lo, generation.hi);
  }
  const timings = r.timings ?? [];
  const stageBytes = new Uint32Array(timings.length);
  for (let t = 0; t < timings.length; t++) {
    stageBytes[t] = utf8Length(timings[t]!.stage);
    const body = stageTimingSize(timings[t]!, stageBytes[t]!);
    size += tagSize(RankResponseField.Timings) + varint32Size(body) + body;
  }
  if (requestIdBytes > 0) size += stringFieldSize(RankResponseField.RequestId, requestIdBytes);
  const algorithmBytes = new Uint32Array(r.algorithms.length);
  for (let a = 0; a < r.algorithms.length; a++) {
    algorithmBytes[a] = utf8Length(r.algorithms[a]!);
    size += stringFieldSize(RankResponseField.Algorithms, algorithmBytes[a]!);
  }

  // Pass 2: write.
  const w = new ProtoWriter(size);
  for (let i = 0; i < n; i++) {
    const k = r.order[i]!;
    w.writeTag(RankResponseField.Items, LengthDelimited);
    w.writeVarint32(itemBody[i]!);
    if (idLo[i] !== 0 || idHi[i] !== 0) {
      w.writeTag(ScoredItemField.ItemId, Varint);
      w.writeVarint64(idLo[i]!, idHi[i]!);
    }
    const score = r.scores[k]!;
    if (!isPositiveZero(score)) {
      w.writeTag(ScoredItemField.Score, Fixed64);
      w.writeFloat64(score);
    }
    if (perItemScores > 0) {
      w.writeTag(ScoredItemField.AlgorithmScores, LengthDelimited);
      w.writeVarint32(perItemScores * 8);
      for (let a = 0; a < perItemScores; a++) w.writeFloat64(r.algorithmScores![a]![k]!);
    }
  }
  if (planBytes > 0) w.writeStringField(RankResponseField.Plan, r.plan, planBytes);
  if (generation.lo !== 0 || generation.hi !== 0) {
    w.writeTag(RankResponseField.Generation, Varint);
    w.writeVarint64(generation.lo, generation.hi);
  }
  for (let t = 0; t < timings.length; t++) {
    const timing = timings[t]!;
    w.writeTag(RankResponseField.Timings, LengthDelimited);
    w.writeVarint32(stageTimingSize(timing, stageBytes[t]!));
    if (stageBytes[t]! > 0) w.writeStringField(StageTimingField.Stage, timing.stage, stageBytes[t]!);
    if (!isPositiveZero(timing.ms)) {
      w.writeTag(StageTimingField.Ms, Fixed64);
      w.writeFloat64(timing.ms);
    }
  }
  if (requestIdBytes > 0) w.writeStringField(RankResponseField.RequestId, r.requestId, requestIdBytes);
  for (let a = 0; a < r.algorithms.length; a++) {
    w.writeStringField(RankResponseField.Algorithms, r.algorithms[a]!, algorithmBytes[a]!);
  }
  return w.finish();
}

/** proto3 leaves +0 out; -0 has other bits and is written. */
function isPositiveZero(v: number): boolean {
  return v === 0 && 1 / v > 0;
}

function stageTimingSize(t: StageTiming, stageBytes: number): number {
  return (stageBytes > 0 ? stringFieldSize(StageTimingField.Stage, stageBytes) : 0) +
    (isPositiveZero(t.ms) ? 0 : DOUBLE_FIELD_SIZE);
}

function splitReturnedIds(r: RankResult, idLo: Uint32Array, idHi: Uint32Array): void {
  const ids = r.itemIds;
  const order = r.order;
  const available = Math.min(ids.length, r.scores.length);
  for (let i = 0; i < order.length; i++) {
    const k = order[i]!;
    if (!(k < available)) {
      throw new RangeError(`order[${i}] = ${k} is past itemIds (${ids.length}) or scores (${r.scores.length})`);
    }
  }
  if (ids instanceof Float64Array) {
    for (let i = 0; i < order.length; i++) {
      const id = ids[order[i]!]!;
      if (!(Number.isSafeInteger(id) && id >= 0)) {
        throw new RangeError(`itemIds[${order[i]}] = ${id} is not a uint64 below 2^53`);
      }
      const lo = id >>> 0;
      idLo[i] = lo;
      idHi[i] = (id - lo) / TWO_POW_32;
    }
  } else {
    for (let i = 0; i < order.length; i++) {
      const id = ids[order[i]!]!;
      idLo[i] = Number(id & 0xffffffffn);
      idHi[i] = Number(id >> 32n);
    }
  }
}

function checkAlgorithmScores(r: RankResult): void {
  const scores = r.algorithmScores!;
  if (scores.length !== r.algorithms.length) {
    throw new RangeError(`algorithmScores has ${scores.length} arrays for ${r.algorithms.length} algorithms`);
  }
  for (let a = 0; a < scores.length; a++) {
    if (scores[a]!.length < r.itemIds.length) {
      throw new RangeError(`algorithmScores[${a}] has ${scores[a]!.length} scores for ${r.itemIds.length} items`);
    }
  }
}
