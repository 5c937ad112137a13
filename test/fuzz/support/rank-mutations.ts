import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { encodeWith, packed, unpacked } from '../../rpc/reference-proto.js';
import { type RequestModel, requestModel, toProtobufjs } from '../../rpc/request-model.js';

/**
 * RankRequest bytes for fuzzing: valid requests in both legal wire forms
 * (encoded by protobufjs), random byte-level mutations of them, and
 * targeted changes that must be refused, each with the status and message
 * it must be refused with.
 */

/** A valid request, packed or unpacked; its api as given. */
export function encodedRequest(api: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(requestModel, api, fc.boolean())
    .map(([m, a, isPacked]) => encodeWith((isPacked ? packed : unpacked).RankRequest, toProtobufjs({ ...m, api: a } satisfies RequestModel)));
}

/** Requests the rank work serves ('' reads as rank). */
export const validRankRequest = encodedRequest(fc.constantFrom('', 'rank'));

type ByteOp =
  | { op: 'set'; at: number; value: number }
  | { op: 'flip'; at: number; bit: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'repeat'; at: number; length: number };

const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

function apply(bytes: Uint8Array, o: ByteOp): Uint8Array {
  const b = Buffer.from(bytes);
  const at = b.length === 0 ? 0 : o.at % (b.length + (o.op === 'insert' ? 1 : 0));
  switch (o.op) {
    case 'set':
      if (b.length > 0) b[at] = o.value;
      return b;
    case 'flip':
      if (b.length > 0) b[at]! ^= 1 << o.bit;
      return b;
    case 'insert':
      return Buffer.concat([b.subarray(0, at), o.bytes, b.subarray(at)]);
    case 'delete':
      return Buffer.concat([b.subarray(0, at), b.subarray(at + o.length)]);
    case 'truncate':
      return b.subarray(0, at);
    case 'repeat':
      return Buffer.concat([b.subarray(0, at + o.length), b.subarray(at)]);
  }
}

/** A valid request (of any api) with up to four byte-level changes: often refused, sometimes still valid (or left as it was). */
export const mutatedRequest: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    encodedRequest(fc.oneof(fc.constantFrom('', 'rank', 'rank', 'example'), fc.string({ maxLength: 6 }))),
    fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(byteOp, { minLength: 1, maxLength: 4 }) }),
  )
  .map(([bytes, ops]) => ops.reduce(apply, bytes));

/** Random bytes: mostly short, sometimes made of protobuf-looking tags. */
export const randomBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.uint8Array({ minLength: 100, maxLength: 2000 }),
  fc
    .array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 10 })), { maxLength: 12 })
    .map((fields) => Buffer.concat(fields.flatMap(([field, wire, body]) => [varint((field << 3) | wire), body]))),
);

export interface RefusedRequest {
  what: string;
  bytes: Uint8Array;
  code: status;
  message: RegExp;
}

const OVER_64_BITS = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
const f32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return [...b];
};

function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

/** A field 5 (candidates) holding `candidate`, encoded by protobufjs. */
function candidateField(candidate: Record<string, unknown>): Uint8Array {
  const body = encodeWith(packed.Candidate, candidate);
  return Buffer.concat([Uint8Array.of(0x2a), varint(body.length), body]);
}

/** Api names no work serves, some too long to echo whole in a status message. */
const unknownApi = fc.oneof(fc.stringMatching(/^[a-z]{1,10}$/), fc.constantFrom('RANK', 'rank ', 'constructor', '__proto__', 'é', 'x'.repeat(100_000), '😀'.repeat(20_000)));
const invalidArgument = (what: string, bytes: number[] | Uint8Array, message: RegExp) => ({ what, bytes: Uint8Array.from(bytes), code: status.INVALID_ARGUMENT, message });

/** Extra fields that make any valid request invalid, with how the server must refuse them. */
function breaking(maxCandidates: number): fc.Arbitrary<RefusedRequest> {
  return fc.oneof(
    fc.constant(invalidArgument('a length past the end', [0x0a, 0x05, 0x61], /^malformed RankRequest: length 5 runs past the end/)),
    fc.constant(invalidArgument('a candidate longer than the rest', [0x2a, 0x10, 0x08], /^malformed RankRequest: length 16 runs past the end/)),
    fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(6, 7)).map(([field, wire]) =>
      invalidArgument(`wire type ${wire}`, varint(field * 8 + wire), new RegExp(`^malformed RankRequest: invalid wire type ${wire} in field ${field} at byte \\d+$`)),
    ),
    fc.constant(invalidArgument('field number 0', [0x00, 0x00], /^malformed RankRequest: field number 0 at byte \d+$/)),
    fc.constant(invalidArgument('an end group without a start', [0xa4, 0x01], /^malformed RankRequest: end of group 20 without a start/)),
    fc.constant(invalidArgument('a user_id over 64 bits', [0x10, ...OVER_64_BITS], /^user_id: varint exceeds 64 bits at byte \d+$/)),
    fc.constant(invalidArgument('api as a varint', [0x08, 0x01], /^malformed RankRequest: field 1 \(api\) has wire type 0 at byte \d+$/)),
    fc.constant(invalidArgument('candidates as fixed32', [0x2d, 0, 0, 0, 0], /^malformed RankRequest: field 5 \(candidates\) has wire type 5 at byte \d+$/)),
    fc.constant(invalidArgument('one user feature value too many', [0x25, ...f32(1)], /^user_feature_ids has \d+ entries but user_feature_values has \d+$/)),
    fc.constantFrom(Number.NaN, Infinity, -Infinity).map((v) =>
      invalidArgument(`a user feature value ${v}`, [0x18, 0x01, 0x25, ...f32(v)], new RegExp(`^user_feature_values\\[\\d+\\] is ${v}$`)),
    ),
    fc.constant(
      invalidArgument('a candidate with 2 ids and 1 value', candidateField({ itemId: 5, featureIds: [1, 2], featureValues: [1] }), /^candidates\[\d+\] has 2 feature_ids but 1 feature_values$/),
    ),
    fc.constantFrom(Number.NaN, Infinity, -Infinity).map((v) =>
      invalidArgument(`a candidate feature value ${v}`, candidateField({ itemId: 5, featureIds: [1], featureValues: [v] }), new RegExp(`^candidates\\[\\d+\\]\\.feature_values\\[0\\] is ${v}$`)),
    ),
    fc.constant(
      invalidArgument(`more than ${maxCandidates} candidates`, new Uint8Array(2 * (maxCandidates + 1)).map((_, i) => (i % 2 === 0 ? 0x2a : 0)), new RegExp(`^RankRequest has \\d+ candidates, more than the limit of ${maxCandidates}$`)),
    ),
    unknownApi.map((api) => {
      const field = encodeWith(packed.RankRequest, { api });
      return { what: `api "${api}"`, bytes: field, code: status.NOT_FOUND, message: /^unknown api "/ };
    }),
    fc.constant({ what: 'api "example"', bytes: encodeWith(packed.RankRequest, { api: 'example' }), code: status.UNIMPLEMENTED, message: /takes Call, not Rank/ }),
  );
}

/**
 * A valid rank request with breaking fields put before or after it
 * (protobuf messages concatenate): it must be refused as they say.
 */
export function refusedRankRequest(maxCandidates: number): fc.Arbitrary<RefusedRequest> {
  return fc.tuple(validRankRequest, breaking(maxCandidates), fc.boolean()).map(([valid, bad, before]) => {
    // A field that reads past the end, or an api that must win (the last one does), stays last.
    const badFirst = before && !/past the end|longer than|api/.test(bad.what);
    return { ...bad, bytes: Buffer.concat(badFirst ? [bad.bytes, valid] : [valid, bad.bytes]) };
  });
}
