import { status } from '@grpc/grpc-js';
import type { RankBatch } from './rank-batch.js';
import { RequestError } from './request-error.js';

/**
 * The JSON form of a RankRequest, for lab_common_so-style Call and the
 * offline runner:
 *   {"api":"rank","uid":"123","user_features":{"7":1},
 *    "candidates":[{"id":"5","features":{"17":1.0,"99":0.5}}],"top_k":10,"explain":false}
 * Ids may be numbers (< 2^53) or decimal strings; feature keys are uint32 ids.
 */
export function rankBatchFromJson(body: Record<string, unknown>, maxCandidates: number): RankBatch {
  const userId = uint64(body.uid ?? 0, 'uid');
  const user = features(body.user_features, 'user_features');
  const list = body.candidates ?? [];
  if (!Array.isArray(list)) throw bad('"candidates" must be an array');
  if (list.length > maxCandidates) throw bad(`${list.length} candidates exceed max_candidates ${maxCandidates}`);
  const ids = list.map((c, k) => uint64((c as { id?: unknown })?.id, `candidates[${k}].id`));
  const allSmall = ids.every((id) => id <= BigInt(Number.MAX_SAFE_INTEGER));
  const itemIds = allSmall ? Float64Array.from(ids, Number) : BigUint64Array.from(ids);
  const perCandidate = list.map((c, k) => features((c as { features?: unknown }).features, `candidates[${k}].features`));
  const total = perCandidate.reduce((n, f) => n + f.ids.length, 0);
  const featureOffsets = new Uint32Array(list.length + 1);
  const featureIds = new Uint32Array(total);
  const featureValues = new Float32Array(total);
  let at = 0;
  perCandidate.forEach((f, k) => {
    featureIds.set(f.ids, at);
    featureValues.set(f.values, at);
    at += f.ids.length;
    featureOffsets[k + 1] = at;
  });
  const topK = body.top_k ?? 0;
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 0) throw bad('"top_k" must be a non-negative integer');
  return {
    api: typeof body.api === 'string' ? body.api : 'rank',
    userId,
    userIdNumber: userId <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(userId) : Number.NaN,
    userFeatureIds: user.ids,
    userFeatureValues: user.values,
    count: list.length,
    itemIds,
    featureOffsets,
    featureIds,
    featureValues,
    topK,
    requestId: typeof body.request_id === 'string' ? body.request_id : '',
    wantTimings: body.timings === true,
    explain: body.explain === true,
  };
}

function uint64(v: unknown, what: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  // Leading zeros of any length, as table files and table lookups take them (but no
  // BigInt of a megabyte of digits: that takes seconds).
  const digits = typeof v === 'string' && /^\d+$/.test(v) ? v.replace(/^0+(?=\d)/, '') : '';
  if (digits !== '' && digits.length <= 20) {
    const n = BigInt(digits);
    if (n <= 0xffff_ffff_ffff_ffffn) return n;
  }
  throw bad(`${what} must be an unsigned 64-bit id (a number below 2^53 or a decimal string), got ${JSON.stringify(v)}`);
}

function features(v: unknown, what: string): { ids: Uint32Array; values: Float32Array } {
  if (v === undefined || v === null) return { ids: new Uint32Array(0), values: new Float32Array(0) };
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(`${what} must be an object of feature id → value`);
  const entries = Object.entries(v as Record<string, unknown>);
  const ids = new Uint32Array(entries.length);
  const values = new Float32Array(entries.length);
  entries.forEach(([k, x], i) => {
    const id = Number(k);
    if (!/^\d+$/.test(k) || id > 0xffff_ffff) throw bad(`${what}: feature id "${k}" is not a uint32`);
    // Values are stored as float32: 1e39 is finite here but Infinity there.
    if (typeof x !== 'number' || !Number.isFinite(Math.fround(x))) throw bad(`${what}["${k}"]: value must be a finite number (within float32 range)`);
    ids[i] = id;
    values[i] = x;
  });
  return { ids, values };
}

function bad(message: string): RequestError {
  return new RequestError(status.INVALID_ARGUMENT, message);
}
