import { CandidateColumns } from './candidate-columns.js';
import { FeatureColumns } from './feature-columns.js';
import { CandidateField, RankRequestField } from './field-numbers.js';
import { ProtoReader, uint64ToBigInt, uint64ToNumber } from './proto-reader.js';
import type { RankBatch, RankLimits } from './rank-batch.js';
import { invalidArgument } from './request-error.js';
import { fieldTag, WireType } from './wire-type.js';

const { Varint, Fixed32, LengthDelimited } = WireType;

const TAG_API = fieldTag(RankRequestField.Api, LengthDelimited);
const TAG_USER_ID = fieldTag(RankRequestField.UserId, Varint);
const TAG_USER_FEATURE_IDS_PACKED = fieldTag(RankRequestField.UserFeatureIds, LengthDelimited);
const TAG_USER_FEATURE_ID = fieldTag(RankRequestField.UserFeatureIds, Varint);
const TAG_USER_FEATURE_VALUES_PACKED = fieldTag(RankRequestField.UserFeatureValues, LengthDelimited);
const TAG_USER_FEATURE_VALUE = fieldTag(RankRequestField.UserFeatureValues, Fixed32);
const TAG_CANDIDATE = fieldTag(RankRequestField.Candidates, LengthDelimited);
const TAG_TOP_K = fieldTag(RankRequestField.TopK, Varint);
const TAG_REQUEST_ID = fieldTag(RankRequestField.RequestId, LengthDelimited);
const TAG_WANT_TIMINGS = fieldTag(RankRequestField.WantTimings, Varint);
const TAG_EXPLAIN = fieldTag(RankRequestField.Explain, Varint);

const TAG_ITEM_ID = fieldTag(CandidateField.ItemId, Varint);
const TAG_FEATURE_IDS_PACKED = fieldTag(CandidateField.FeatureIds, LengthDelimited);
const TAG_FEATURE_ID = fieldTag(CandidateField.FeatureIds, Varint);
const TAG_FEATURE_VALUES_PACKED = fieldTag(CandidateField.FeatureValues, LengthDelimited);
const TAG_FEATURE_VALUE = fieldTag(CandidateField.FeatureValues, Fixed32);

const REQUEST_FIELD_NAMES = [
  '',
  'api',
  'user_id',
  'user_feature_ids',
  'user_feature_values',
  'candidates',
  'top_k',
  'request_id',
  'want_timings',
  'explain',
];
const CANDIDATE_FIELD_NAMES = ['', 'item_id', 'feature_ids', 'feature_values'];

/**
 * Wire bytes per candidate feature assumed when sizing the feature columns:
 * a hashed id is a 3–5 byte varint, its value 4 bytes. Denser requests grow
 * the columns once or twice; zeroing a larger first guess cost more (the
 * allocation is ~15% of decoding when sized for the 5-byte minimum).
 */
const EXPECTED_FEATURE_BYTES = 8;
const INITIAL_CANDIDATES = 64;
const INITIAL_USER_FEATURES = 64;

/**
 * Decodes RankRequest bytes into a RankBatch of typed arrays.
 *
 * Accepts packed and unpacked repeated fields (in any mix and order), skips
 * unknown fields of every wire type, and applies proto3 defaults. Throws an
 * INVALID_ARGUMENT RequestError for malformed bytes, a varint wider than 64
 * bits, a known field sent with a wire type its type cannot have, feature id
 * and value counts that differ (user or candidate), a NaN or infinite feature
 * value, and more than `limits.maxCandidates` candidates.
 *
 * uint32 fields (feature ids, top_k) take the low 32 bits of a wider varint,
 * as every protobuf parser does.
 */
export function decodeRankRequest(bytes: Uint8Array, limits: RankLimits): RankBatch {
  const r = new ProtoReader(bytes, 'RankRequest');
  const user = new FeatureColumns(INITIAL_USER_FEATURES);
  const features = new FeatureColumns(Math.floor(bytes.length / EXPECTED_FEATURE_BYTES) + 16);
  const candidates = new CandidateColumns(Math.min(INITIAL_CANDIDATES, limits.maxCandidates));

  let api = '';
  let userLo = 0;
  let userHi = 0;
  let topK = 0;
  let requestId = '';
  let wantTimings = false;
  let explain = false;

  while (r.pos < r.limit) {
    const tag = r.readTag();
    switch (tag) {
      case TAG_CANDIDATE: {
        const len = r.readLength();
        if (candidates.count === limits.maxCandidates) {
          r.pos += len;
          throw tooManyCandidates(candidates.count + 1 + countCandidates(r), limits.maxCandidates);
        }
        decodeCandidate(r, r.pos + len, candidates, features);
        break;
      }
      case TAG_API:
        api = r.readString(r.readLength());
        break;
      case TAG_USER_ID:
        if (!r.readVarint64()) throw varintTooWide('user_id', r.pos);
        userLo = r.lo;
        userHi = r.hi;
        break;
      case TAG_USER_FEATURE_IDS_PACKED: {
        const wide = user.appendPackedIds(r, r.readLength());
        if (wide >= 0) throw varintTooWide('user_feature_ids', wide);
        break;
      }
      case TAG_USER_FEATURE_ID:
        user.appendId(readUint32(r, 'user_feature_ids'));
        break;
      case TAG_USER_FEATURE_VALUES_PACKED:
        user.appendPackedValues(r, r.readLength());
        break;
      case TAG_USER_FEATURE_VALUE:
        user.appendValue(r.readFloat32());
        break;
      case TAG_TOP_K:
        topK = readUint32(r, 'top_k');
        break;
      case TAG_REQUEST_ID:
        requestId = r.readString(r.readLength());
        break;
      case TAG_WANT_TIMINGS:
        wantTimings = readBool(r, 'want_timings');
        break;
      case TAG_EXPLAIN:
        explain = readBool(r, 'explain');
        break;
      default:
        if (tag >>> 3 < REQUEST_FIELD_NAMES.length) r.wrongWireType(tag, REQUEST_FIELD_NAMES[tag >>> 3]!);
        r.skipField(tag);
    }
  }

  if (user.idCount !== user.valueCount) {
    throw invalidArgument(
      `user_feature_ids has ${user.idCount} entries but user_feature_values has ${user.valueCount}`,
    );
  }
  const badUser = user.firstNonFinite(0, user.valueCount);
  if (badUser >= 0) throw invalidArgument(`user_feature_values[${badUser}] is ${user.values[badUser]}`);

  const userIdNumber = uint64ToNumber(userLo, userHi);
  return {
    api: api === '' ? 'rank' : api,
    userId: userIdNumber === userIdNumber ? BigInt(userIdNumber) : uint64ToBigInt(userLo, userHi),
    userIdNumber,
    userFeatureIds: user.ids.subarray(0, user.idCount),
    userFeatureValues: user.values.subarray(0, user.valueCount),
    count: candidates.count,
    itemIds: candidates.itemIds(),
    featureOffsets: candidates.offsets(),
    featureIds: features.ids.subarray(0, features.idCount),
    featureValues: features.values.subarray(0, features.valueCount),
    topK,
    requestId,
    wantTimings,
    explain,
  };
}

/** Decodes the Candidate message in bytes [r.pos, end) and appends it. */
function decodeCandidate(r: ProtoReader, end: number, candidates: CandidateColumns, features: FeatureColumns): void {
  const k = candidates.count;
  const start = features.idCount;
  const outerLimit = r.limit;
  r.limit = end;
  let lo = 0;
  let hi = 0;
  while (r.pos < end) {
    const tag = r.readTag();
    switch (tag) {
      case TAG_FEATURE_IDS_PACKED: {
        const wide = features.appendPackedIds(r, r.readLength());
        if (wide >= 0) throw varintTooWide(`candidates[${k}].feature_ids`, wide);
        break;
      }
      case TAG_FEATURE_VALUES_PACKED:
        features.appendPackedValues(r, r.readLength());
        break;
      case TAG_ITEM_ID:
        if (!r.readVarint64()) throw varintTooWide(`candidates[${k}].item_id`, r.pos);
        lo = r.lo;
        hi = r.hi;
        break;
      case TAG_FEATURE_ID:
        features.appendId(readUint32(r, `candidates[${k}].feature_ids`));
        break;
      case TAG_FEATURE_VALUE:
        features.appendValue(r.readFloat32());
        break;
      default:
        if (tag >>> 3 < CANDIDATE_FIELD_NAMES.length) {
          r.wrongWireType(tag, `candidates[${k}].${CANDIDATE_FIELD_NAMES[tag >>> 3]}`);
        }
        r.skipField(tag);
    }
  }
  r.limit = outerLimit;

  const ids = features.idCount - start;
  const values = features.valueCount - start;
  if (ids !== values) {
    throw invalidArgument(`candidates[${k}] has ${ids} feature_ids but ${values} feature_values`);
  }
  const bad = features.firstNonFinite(start, features.valueCount);
  if (bad >= 0) throw invalidArgument(`candidates[${k}].feature_values[${bad - start}] is ${features.values[bad]}`);
  candidates.push(lo, hi, features.idCount);
}

function readUint32(r: ProtoReader, field: string): number {
  const v = r.readVarint32();
  if (v < 0) throw varintTooWide(field, r.pos);
  return v;
}

/** Any non-zero varint is true, even one whose low 32 bits are zero. */
function readBool(r: ProtoReader, field: string): boolean {
  if (!r.readVarint64()) throw varintTooWide(field, r.pos);
  return (r.lo | r.hi) !== 0;
}

/** Counts the candidates from r.pos to the end, to report how far over the limit a request is. */
function countCandidates(r: ProtoReader): number {
  let n = 0;
  while (r.pos < r.limit) {
    const tag = r.readTag();
    if (tag === TAG_CANDIDATE) n++;
    r.skipField(tag);
  }
  return n;
}

function varintTooWide(field: string, at: number) {
  return invalidArgument(`${field}: varint exceeds 64 bits at byte ${at}`);
}

function tooManyCandidates(count: number, max: number) {
  return invalidArgument(`RankRequest has ${count} candidates, more than the limit of ${max}`);
}
