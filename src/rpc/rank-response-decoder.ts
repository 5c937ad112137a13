import { RankResponseField, ScoredItemField, StageTimingField } from './field-numbers.js';
import { ProtoReader, uint64ToBigInt, uint64ToNumber } from './proto-reader.js';
import type { StageTiming } from './rank-result.js';
import { fieldTag, WireType } from './wire-type.js';

const { Varint, Fixed64, LengthDelimited } = WireType;

const TAG_ITEMS = fieldTag(RankResponseField.Items, LengthDelimited);
const TAG_PLAN = fieldTag(RankResponseField.Plan, LengthDelimited);
const TAG_GENERATION = fieldTag(RankResponseField.Generation, Varint);
const TAG_TIMINGS = fieldTag(RankResponseField.Timings, LengthDelimited);
const TAG_REQUEST_ID = fieldTag(RankResponseField.RequestId, LengthDelimited);
const TAG_ALGORITHMS = fieldTag(RankResponseField.Algorithms, LengthDelimited);
const TAG_ITEM_ITEM_ID = fieldTag(ScoredItemField.ItemId, Varint);
const TAG_ITEM_SCORE = fieldTag(ScoredItemField.Score, Fixed64);
const TAG_ITEM_ALGORITHM_SCORES_PACKED = fieldTag(ScoredItemField.AlgorithmScores, LengthDelimited);
const TAG_ITEM_ALGORITHM_SCORES = fieldTag(ScoredItemField.AlgorithmScores, Fixed64);
const TAG_TIMING_STAGE = fieldTag(StageTimingField.Stage, LengthDelimited);
const TAG_TIMING_MS = fieldTag(StageTimingField.Ms, Fixed64);

const RESPONSE_FIELD_NAMES = ['', 'items', 'plan', 'generation', 'timings', 'request_id', 'algorithms'];
const ITEM_FIELD_NAMES = ['', 'item_id', 'score', 'algorithm_scores'];
const TIMING_FIELD_NAMES = ['', 'stage', 'ms'];

/** A uint64 from the wire: a number when exact (< 2^53), else a bigint. */
export type Uint64Value = number | bigint;

export interface DecodedScoredItem {
  itemId: Uint64Value;
  score: number;
  algorithmScores: number[];
}

export interface DecodedRankResponse {
  items: DecodedScoredItem[];
  plan: string;
  generation: Uint64Value;
  timings: StageTiming[];
  requestId: string;
  algorithms: string[];
}

/**
 * Decodes RankResponse bytes into a plain object (clients and tests). Packed
 * and unpacked algorithm_scores are both accepted and unknown fields skipped;
 * malformed bytes throw an INVALID_ARGUMENT RequestError naming the offset.
 */
export function decodeRankResponse(bytes: Uint8Array): DecodedRankResponse {
  const r = new ProtoReader(bytes, 'RankResponse');
  const out: DecodedRankResponse = { items: [], plan: '', generation: 0, timings: [], requestId: '', algorithms: [] };
  while (r.pos < r.limit) {
    const tag = r.readTag();
    switch (tag) {
      case TAG_ITEMS:
        out.items.push(inMessage(r, decodeScoredItem));
        break;
      case TAG_PLAN:
        out.plan = r.readString(r.readLength());
        break;
      case TAG_GENERATION:
        out.generation = readUint64(r, 'generation');
        break;
      case TAG_TIMINGS:
        out.timings.push(inMessage(r, decodeStageTiming));
        break;
      case TAG_REQUEST_ID:
        out.requestId = r.readString(r.readLength());
        break;
      case TAG_ALGORITHMS:
        out.algorithms.push(r.readString(r.readLength()));
        break;
      default:
        if (tag >>> 3 < RESPONSE_FIELD_NAMES.length) r.wrongWireType(tag, RESPONSE_FIELD_NAMES[tag >>> 3]!);
        r.skipField(tag);
    }
  }
  return out;
}

/** Runs `decode` over the length-delimited message at r.pos. */
function inMessage<T>(r: ProtoReader, decode: (r: ProtoReader) => T): T {
  const len = r.readLength();
  const outerLimit = r.limit;
  r.limit = r.pos + len;
  const value = decode(r);
  r.limit = outerLimit;
  return value;
}

function decodeScoredItem(r: ProtoReader): DecodedScoredItem {
  const item: DecodedScoredItem = { itemId: 0, score: 0, algorithmScores: [] };
  while (r.pos < r.limit) {
    const tag = r.readTag();
    switch (tag) {
      case TAG_ITEM_ITEM_ID:
        item.itemId = readUint64(r, 'item_id');
        break;
      case TAG_ITEM_SCORE:
        item.score = r.readFloat64();
        break;
      case TAG_ITEM_ALGORITHM_SCORES_PACKED: {
        const len = r.readLength();
        if (len % 8 !== 0) r.fail(`packed double length ${len} is not a multiple of 8`, r.pos);
        for (const end = r.pos + len; r.pos < end; ) item.algorithmScores.push(r.readFloat64());
        break;
      }
      case TAG_ITEM_ALGORITHM_SCORES:
        item.algorithmScores.push(r.readFloat64());
        break;
      default:
        if (tag >>> 3 < ITEM_FIELD_NAMES.length) r.wrongWireType(tag, `items.${ITEM_FIELD_NAMES[tag >>> 3]}`);
        r.skipField(tag);
    }
  }
  return item;
}

function decodeStageTiming(r: ProtoReader): StageTiming {
  const timing: StageTiming = { stage: '', ms: 0 };
  while (r.pos < r.limit) {
    const tag = r.readTag();
    switch (tag) {
      case TAG_TIMING_STAGE:
        timing.stage = r.readString(r.readLength());
        break;
      case TAG_TIMING_MS:
        timing.ms = r.readFloat64();
        break;
      default:
        if (tag >>> 3 < TIMING_FIELD_NAMES.length) r.wrongWireType(tag, `timings.${TIMING_FIELD_NAMES[tag >>> 3]}`);
        r.skipField(tag);
    }
  }
  return timing;
}

function readUint64(r: ProtoReader, field: string): Uint64Value {
  if (!r.readVarint64()) r.fail(`${field} varint exceeds 64 bits`, r.pos);
  const n = uint64ToNumber(r.lo, r.hi);
  return n === n ? n : uint64ToBigInt(r.lo, r.hi);
}
