import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRankRequest } from '../../src/rpc/rank-request.js';
import { RequestError } from '../../src/rpc/request-error.js';
import { encodeWith, packed, protobuf } from './reference-proto.js';
import { requestModel, toProtobufjs } from './request-model.js';

const limits = { maxCandidates: 1000 };

/** The RequestError decoding `bytes` throws; fails the test when it does not throw one. */
function refusal(bytes: ArrayLike<number>, maxCandidates = limits.maxCandidates): RequestError {
  try {
    decodeRankRequest(Uint8Array.from(bytes), { maxCandidates });
  } catch (e) {
    if (e instanceof RequestError) return e;
    throw e;
  }
  throw new Error('decodeRankRequest accepted the bytes');
}

function expectRefused(bytes: ArrayLike<number>, message: string, maxCandidates?: number): void {
  const e = refusal(bytes, maxCandidates);
  expect(e.message).toBe(message);
  expect(e.code).toBe(status.INVALID_ARGUMENT);
}

const OVER_64_BITS = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]; // 2^64 and up
const ELEVEN_BYTES = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];

describe('decodeRankRequest refuses malformed protobuf with INVALID_ARGUMENT and the offset', () => {
  it.each([
    ['a length past the end', [0x0a, 0x05, 0x61], 'malformed RankRequest: length 5 runs past the end (1 left) at byte 1'],
    ['a truncated varint', [0x10, 0x80], 'malformed RankRequest: truncated varint at byte 1'],
    ['a truncated tag', [0x10, 0x01, 0x80], 'malformed RankRequest: truncated varint at byte 2'],
    ['wire type 6', [0x0e], 'malformed RankRequest: invalid wire type 6 in field 1 at byte 0'],
    ['wire type 7', [0x10, 0x01, 0x9f, 0x01], 'malformed RankRequest: invalid wire type 7 in field 19 at byte 2'],
    ['field number 0', [0x00, 0x00], 'malformed RankRequest: field number 0 at byte 0'],
    ['a tag over 32 bits', [0xf8, 0xff, 0xff, 0xff, 0x7f], 'malformed RankRequest: field tag exceeds 32 bits at byte 0'],
    ['user_id as fixed32', [0x15, 0, 0, 0, 0], 'malformed RankRequest: field 2 (user_id) has wire type 5 at byte 0'],
    ['api as a varint', [0x08, 0x01], 'malformed RankRequest: field 1 (api) has wire type 0 at byte 0'],
    ['candidates as fixed64', [0x29, 0, 0, 0, 0, 0, 0, 0, 0], 'malformed RankRequest: field 5 (candidates) has wire type 1 at byte 0'],
    ['user_feature_values as a varint', [0x20, 0x01], 'malformed RankRequest: field 4 (user_feature_values) has wire type 0 at byte 0'],
    [
      'a candidate item_id as bytes',
      [0x2a, 0x00, 0x2a, 0x02, 0x0a, 0x00],
      'malformed RankRequest: field 1 (candidates[1].item_id) has wire type 2 at byte 4',
    ],
    ['a packed float run of 3 bytes', [0x22, 0x03, 0, 0, 0], 'malformed RankRequest: packed float length 3 is not a multiple of 4 at byte 2'],
    ['a truncated unpacked float', [0x25, 0, 0], 'malformed RankRequest: truncated fixed32 at byte 1'],
    ['a truncated unknown fixed64', [0xa1, 0x01, 1, 2, 3], 'malformed RankRequest: truncated fixed64 at byte 2'],
    ['a packed varint cut by its run', [0x1a, 0x01, 0x80, 0x01], 'malformed RankRequest: truncated varint at byte 2'],
    [
      'a candidate field running past its candidate',
      [0x2a, 0x03, 0x12, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05],
      'malformed RankRequest: length 5 runs past the end (1 left) at byte 3',
    ],
    ['an end-group without a start', [0x10, 0x01, 0xa4, 0x01], 'malformed RankRequest: end of group 20 without a start at byte 2'],
    ['an unclosed group', [0xa3, 0x01, 0x08, 0x01], 'malformed RankRequest: group 20 is not closed at byte 2'],
    ['a group closed by another', [0xa3, 0x01, 0xac, 0x01], 'malformed RankRequest: group 20 closed as group 21 at byte 2'],
    ['an unknown varint over 64 bits', [0xa0, 0x01, ...OVER_64_BITS], 'malformed RankRequest: varint exceeds 64 bits at byte 2'],
  ])('%s', (_, bytes, message) => expectRefused(bytes, message));

  it('bounds the nesting of unknown groups', () => {
    const bytes = [...Array(100).fill([0xa3, 0x01]).flat(), ...Array(100).fill([0xa4, 0x01]).flat()];
    expectRefused(bytes, 'malformed RankRequest: groups nested deeper than 64 at byte 130');
  });

  it('throws only RequestErrors for every truncation of a valid request', () => {
    fc.assert(
      fc.property(requestModel, (m) => {
        const bytes = encodeWith(packed.RankRequest, toProtobufjs(m));
        for (let n = 0; n < bytes.length; n++) decodeOrRefuse(bytes.subarray(0, n));
      }),
      { numRuns: 100 },
    );
  });

  it('throws only RequestErrors for random bytes and random corruptions of valid requests', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => decodeOrRefuse(bytes)), { numRuns: 2000 });
    fc.assert(
      fc.property(requestModel, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (m, flips) => {
        const bytes = encodeWith(packed.RankRequest, toProtobufjs(m)).slice();
        if (bytes.length === 0) return;
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        decodeOrRefuse(bytes);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('decodeRankRequest refuses varints over 64 bits, naming the field', () => {
  it('in user_id, just past 2^64 - 1', () => {
    expectRefused([0x10, ...OVER_64_BITS], 'user_id: varint exceeds 64 bits at byte 1');
  });

  it('in user_id, as an 11-byte varint', () => {
    expectRefused([0x10, ...ELEVEN_BYTES], 'user_id: varint exceeds 64 bits at byte 1');
  });

  it('in a candidate item_id', () => {
    expectRefused([0x2a, 0x00, 0x2a, 0x0b, 0x08, ...OVER_64_BITS], 'candidates[1].item_id: varint exceeds 64 bits at byte 5');
  });

  it('in packed and unpacked feature ids', () => {
    expectRefused([0x1a, 0x0b, 0x01, ...OVER_64_BITS], 'user_feature_ids: varint exceeds 64 bits at byte 3');
    expectRefused([0x18, ...OVER_64_BITS], 'user_feature_ids: varint exceeds 64 bits at byte 1');
    expectRefused([0x2a, 0x0b, 0x10, ...OVER_64_BITS], 'candidates[0].feature_ids: varint exceeds 64 bits at byte 3');
    expectRefused([0x2a, 0x0c, 0x12, 0x0a, ...OVER_64_BITS], 'candidates[0].feature_ids: varint exceeds 64 bits at byte 4');
  });

  it('early in a long packed run of feature ids', () => {
    const ones = Array(12).fill(0x01);
    expectRefused([0x1a, 0x17, 0x05, ...OVER_64_BITS, ...ones], 'user_feature_ids: varint exceeds 64 bits at byte 3');
    expectRefused([0x1a, 0x18, 0x05, ...ELEVEN_BYTES, ...ones], 'user_feature_ids: varint exceeds 64 bits at byte 3');
  });

  it('in top_k and the bools', () => {
    expectRefused([0x30, ...OVER_64_BITS], 'top_k: varint exceeds 64 bits at byte 1');
    expectRefused([0x40, ...OVER_64_BITS], 'want_timings: varint exceeds 64 bits at byte 1');
    expectRefused([0x48, ...ELEVEN_BYTES], 'explain: varint exceeds 64 bits at byte 1');
  });
});

describe('decodeRankRequest refuses invalid values with INVALID_ARGUMENT', () => {
  it('names the candidate whose feature_ids and feature_values lengths differ, with both lengths', () => {
    const bytes = encodeWith(packed.RankRequest, {
      candidates: [
        { itemId: 1, featureIds: [1], featureValues: [1] },
        { itemId: 2, featureIds: [1, 2, 3], featureValues: [1, 2] },
      ],
    });
    expectRefused(bytes, 'candidates[1] has 3 feature_ids but 2 feature_values');
  });

  it('counts unpacked and packed elements together when comparing lengths', () => {
    const w = protobuf.Writer.create();
    w.uint32((5 << 3) | 2).fork();
    w.uint32((2 << 3) | 0).uint32(1);
    w.uint32((3 << 3) | 2).fork().float(1).float(2).ldelim();
    w.ldelim();
    expectRefused(w.finish(), 'candidates[0] has 1 feature_ids but 2 feature_values');
  });

  it('names user features whose lengths differ', () => {
    const bytes = encodeWith(packed.RankRequest, { userFeatureIds: [1, 2], userFeatureValues: [0.5] });
    expectRefused(bytes, 'user_feature_ids has 2 entries but user_feature_values has 1');
  });

  it.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('names a %s feature value and where it is', (bad, shown) => {
    const user = encodeWith(packed.RankRequest, { userFeatureIds: [1, 2], userFeatureValues: [0.5, bad] });
    expectRefused(user, `user_feature_values[1] is ${shown}`);
    const candidates = encodeWith(packed.RankRequest, {
      candidates: [
        { itemId: 1, featureIds: [1], featureValues: [1] },
        { itemId: 2, featureIds: [1, 2, 3], featureValues: [1, 2, 3] },
        { itemId: 3, featureIds: [5, 6], featureValues: [1, bad] },
      ],
    });
    expectRefused(candidates, `candidates[2].feature_values[1] is ${shown}`);
  });

  it('refuses more candidates than the limit, with both numbers', () => {
    const candidates = Array.from({ length: 5 }, (_, i) => ({ itemId: i, featureIds: [i], featureValues: [1] }));
    const bytes = Buffer.concat([
      encodeWith(packed.RankRequest, { candidates: candidates.slice(0, 2), api: 'x' }),
      Uint8Array.from([0xa0, 0x01, 0x05]), // an unknown field between candidates
      encodeWith(packed.RankRequest, { candidates: candidates.slice(2) }),
    ]);
    expectRefused(bytes, 'RankRequest has 5 candidates, more than the limit of 3', 3);
    expectRefused(bytes, 'RankRequest has 5 candidates, more than the limit of 0', 0);
    expect(decodeRankRequest(bytes, { maxCandidates: 5 }).count).toBe(5);
  });
});

function decodeOrRefuse(bytes: Uint8Array): void {
  try {
    const b = decodeRankRequest(bytes, limits);
    expect(b.featureOffsets.length).toBe(b.count + 1);
    expect(b.featureIds.length).toBe(b.featureOffsets[b.count]);
    expect(b.featureValues.length).toBe(b.featureIds.length);
    expect(b.userFeatureIds.length).toBe(b.userFeatureValues.length);
  } catch (e) {
    expect(e).toBeInstanceOf(RequestError);
    const err = e as RequestError;
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.message).toMatch(/^(malformed RankRequest: .+ at byte \d+|.+)$/);
  }
}
