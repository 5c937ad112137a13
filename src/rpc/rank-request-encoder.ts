import type { IdArray } from '../../globaldb/table.js';
import { CandidateField, RankRequestField } from './field-numbers.js';
import {
  ProtoWriter,
  splitUint64,
  stringFieldSize,
  tagSize,
  utf8Length,
  varint32Size,
  varint64Size,
  type Uint64Halves,
} from './proto-writer.js';
import { WireType } from './wire-type.js';

const { Varint, LengthDelimited } = WireType;

/** A uint64 as users give it: an exact number (< 2^53), a bigint, or a decimal string. */
export type Uint64Input = number | bigint | string;

/** One candidate as an object: the convenient form. */
export interface CandidateInput {
  itemId: Uint64Input;
  featureIds?: ArrayLike<number>;
  featureValues?: ArrayLike<number>;
}

/**
 * All candidates as columns: the fast form (a decoded RankBatch has this
 * shape). Candidate k's features are at featureOffsets[k] ..
 * featureOffsets[k+1] of featureIds and featureValues.
 */
export interface CandidateColumnsInput {
  itemIds: IdArray | ArrayLike<Uint64Input>;
  featureOffsets: ArrayLike<number>;
  featureIds: ArrayLike<number>;
  featureValues: ArrayLike<number>;
}

export interface RankRequestInput {
  api?: string;
  userId?: Uint64Input;
  userFeatureIds?: ArrayLike<number>;
  userFeatureValues?: ArrayLike<number>;
  candidates?: readonly CandidateInput[] | CandidateColumnsInput;
  topK?: number;
  requestId?: string;
  wantTimings?: boolean;
  explain?: boolean;
}

const EMPTY_IDS = new Uint32Array(0);
const EMPTY_VALUES = new Float32Array(0);

/**
 * Encodes a RankRequest (for clients and benchmarks). Repeated numbers are
 * written packed and proto3 defaults are left out. Throws RangeError for input
 * the server would refuse or that cannot be encoded exactly: feature id and
 * value counts that differ, a feature id that is not a uint32, an id that is
 * not a uint64 (numbers must be exact integers below 2^53).
 */
export function encodeRankRequest(input: RankRequestInput): Uint8Array {
  const api = input.api ?? '';
  const requestId = input.requestId ?? '';
  const userIds = input.userFeatureIds ?? EMPTY_IDS;
  const userValues = input.userFeatureValues ?? EMPTY_VALUES;
  if (userIds.length !== userValues.length) {
    throw new RangeError(`userFeatureIds has ${userIds.length} entries but userFeatureValues has ${userValues.length}`);
  }
  checkUint32s(userIds, 0, userIds.length, 'userFeatureIds');
  const user = splitUint64(input.userId ?? 0, 'userId', { lo: 0, hi: 0 });
  const topK = input.topK ?? 0;
  if (!(topK >>> 0 === topK)) throw new RangeError(`topK must be a uint32, got ${topK}`);
  const columns = toColumns(input.candidates ?? []);
  const sizes = sizeCandidates(columns);

  const apiBytes = utf8Length(api);
  const requestIdBytes = utf8Length(requestId);
  const userIdsPayload = packedVarint32Size(userIds, 0, userIds.length);
  let size = sizes.total;
  if (apiBytes > 0) size += stringFieldSize(RankRequestField.Api, apiBytes);
  if (user.lo !== 0 || user.hi !== 0) size += tagSize(RankRequestField.UserId) + varint64Size(user.lo, user.hi);
  if (userIds.length > 0) {
    size += tagSize(RankRequestField.UserFeatureIds) + varint32Size(userIdsPayload) + userIdsPayload;
    size += tagSize(RankRequestField.UserFeatureValues) + varint32Size(userValues.length * 4) + userValues.length * 4;
  }
  if (topK !== 0) size += tagSize(RankRequestField.TopK) + varint32Size(topK);
  if (requestIdBytes > 0) size += stringFieldSize(RankRequestField.RequestId, requestIdBytes);
  if (input.wantTimings) size += tagSize(RankRequestField.WantTimings) + 1;
  if (input.explain) size += tagSize(RankRequestField.Explain) + 1;

  const w = new ProtoWriter(size);
  if (apiBytes > 0) w.writeStringField(RankRequestField.Api, api, apiBytes);
  if (user.lo !== 0 || user.hi !== 0) {
    w.writeTag(RankRequestField.UserId, Varint);
    w.writeVarint64(user.lo, user.hi);
  }
  if (userIds.length > 0) {
    writePackedFeatures(w, RankRequestField.UserFeatureIds, userIds, userValues, 0, userIds.length, userIdsPayload);
  }
  writeCandidates(w, columns, sizes);
  if (topK !== 0) {
    w.writeTag(RankRequestField.TopK, Varint);
    w.writeVarint32(topK);
  }
  if (requestIdBytes > 0) w.writeStringField(RankRequestField.RequestId, requestId, requestIdBytes);
  if (input.wantTimings) {
    w.writeTag(RankRequestField.WantTimings, Varint);
    w.writeVarint32(1);
  }
  if (input.explain) {
    w.writeTag(RankRequestField.Explain, Varint);
    w.writeVarint32(1);
  }
  return w.finish();
}

interface Columns {
  count: number;
  idLo: Uint32Array;
  idHi: Uint32Array;
  offsets: ArrayLike<number>;
  featureIds: ArrayLike<number>;
  featureValues: ArrayLike<number>;
}

/** Per-candidate sizes computed once and used again while writing. */
interface CandidateSizes {
  body: Uint32Array;
  idsPayload: Uint32Array;
  /** Bytes of all candidate fields, tags and length prefixes included. */
  total: number;
}

function toColumns(candidates: readonly CandidateInput[] | CandidateColumnsInput): Columns {
  return isCandidateArray(candidates) ? objectsToColumns(candidates) : checkColumns(candidates);
}

function isCandidateArray(c: readonly CandidateInput[] | CandidateColumnsInput): c is readonly CandidateInput[] {
  return Array.isArray(c);
}

function objectsToColumns(candidates: readonly CandidateInput[]): Columns {
  const count = candidates.length;
  const offsets = new Uint32Array(count + 1);
  let total = 0;
  for (let k = 0; k < count; k++) {
    const c = candidates[k]!;
    const ids = c.featureIds?.length ?? 0;
    const values = c.featureValues?.length ?? 0;
    if (ids !== values) throw new RangeError(`candidates[${k}] has ${ids} featureIds but ${values} featureValues`);
    total += ids;
    offsets[k + 1] = total;
  }
  const featureIds = new Uint32Array(total);
  const featureValues = new Float32Array(total);
  const itemIds: Uint64Input[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const c = candidates[k]!;
    itemIds[k] = c.itemId;
    if (c.featureIds) {
      checkUint32s(c.featureIds, 0, c.featureIds.length, `candidates[${k}].featureIds`);
      featureIds.set(c.featureIds, offsets[k]!);
      featureValues.set(c.featureValues!, offsets[k]!);
    }
  }
  return { ...splitItemIds(itemIds), count, offsets, featureIds, featureValues };
}

function checkColumns(c: CandidateColumnsInput): Columns {
  const count = c.itemIds.length;
  const offsets = c.featureOffsets;
  if (offsets.length < count + 1) {
    throw new RangeError(`featureOffsets needs ${count + 1} entries for ${count} candidates, has ${offsets.length}`);
  }
  for (let k = 0; k < count; k++) {
    if (!(offsets[k]! <= offsets[k + 1]!)) throw new RangeError(`featureOffsets decreases at candidate ${k}`);
  }
  const end = offsets[count]!;
  if (end > c.featureIds.length || end > c.featureValues.length) {
    throw new RangeError(
      `featureOffsets end at ${end}, past featureIds (${c.featureIds.length}) or featureValues (${c.featureValues.length})`,
    );
  }
  checkUint32s(c.featureIds, offsets[0]!, end, 'featureIds');
  return { ...splitItemIds(c.itemIds), count, offsets, featureIds: c.featureIds, featureValues: c.featureValues };
}

function splitItemIds(itemIds: IdArray | ArrayLike<Uint64Input>): { idLo: Uint32Array; idHi: Uint32Array } {
  const count = itemIds.length;
  const idLo = new Uint32Array(count);
  const idHi = new Uint32Array(count);
  if (itemIds instanceof BigUint64Array) {
    for (let k = 0; k < count; k++) {
      const id = itemIds[k]!;
      idLo[k] = Number(id & 0xffffffffn);
      idHi[k] = Number(id >> 32n);
    }
    return { idLo, idHi };
  }
  const h: Uint64Halves = { lo: 0, hi: 0 };
  for (let k = 0; k < count; k++) {
    splitUint64(itemIds[k]!, `itemIds[${k}]`, h);
    idLo[k] = h.lo;
    idHi[k] = h.hi;
  }
  return { idLo, idHi };
}

function sizeCandidates(c: Columns): CandidateSizes {
  const body = new Uint32Array(c.count);
  const idsPayload = new Uint32Array(c.count);
  const candidateTag = tagSize(RankRequestField.Candidates);
  let total = 0;
  for (let k = 0; k < c.count; k++) {
    const from = c.offsets[k]!;
    const to = c.offsets[k + 1]!;
    let size = 0;
    if (c.idLo[k] !== 0 || c.idHi[k] !== 0) size += 1 + varint64Size(c.idLo[k]!, c.idHi[k]!);
    if (to > from) {
      const payload = packedVarint32Size(c.featureIds, from, to);
      idsPayload[k] = payload;
      size += 1 + varint32Size(payload) + payload;
      size += 1 + varint32Size((to - from) * 4) + (to - from) * 4;
    }
    body[k] = size;
    total += candidateTag + varint32Size(size) + size;
  }
  return { body, idsPayload, total };
}

function writeCandidates(w: ProtoWriter, c: Columns, sizes: CandidateSizes): void {
  for (let k = 0; k < c.count; k++) {
    w.writeTag(RankRequestField.Candidates, LengthDelimited);
    w.writeVarint32(sizes.body[k]!);
    if (c.idLo[k] !== 0 || c.idHi[k] !== 0) {
      w.writeTag(CandidateField.ItemId, Varint);
      w.writeVarint64(c.idLo[k]!, c.idHi[k]!);
    }
    const from = c.offsets[k]!;
    const to = c.offsets[k + 1]!;
    if (to > from) {
      writePackedFeatures(w, CandidateField.FeatureIds, c.featureIds, c.featureValues, from, to, sizes.idsPayload[k]!);
    }
  }
}

/** Packed ids in field `idsField`, then packed values in the next field (the layout of both messages). */
function writePackedFeatures(
  w: ProtoWriter,
  idsField: number,
  ids: ArrayLike<number>,
  values: ArrayLike<number>,
  from: number,
  to: number,
  idsPayload: number,
): void {
  w.writeTag(idsField, LengthDelimited);
  w.writeVarint32(idsPayload);
  for (let i = from; i < to; i++) w.writeVarint32(ids[i]!);
  w.writeTag(idsField + 1, LengthDelimited);
  w.writeVarint32((to - from) * 4);
  w.writeFloat32s(values, from, to);
}

function packedVarint32Size(values: ArrayLike<number>, from: number, to: number): number {
  let size = 0;
  for (let i = from; i < to; i++) size += varint32Size(values[i]!);
  return size;
}

function checkUint32s(values: ArrayLike<number>, from: number, to: number, what: string): void {
  if (values instanceof Uint32Array) return;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v >>> 0 !== v) throw new RangeError(`${what}[${i}] must be a uint32, got ${v}`);
  }
}
