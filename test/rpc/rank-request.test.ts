import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRankRequest, encodeRankRequest, type RankBatch } from '../../src/rpc/rank-request.js';
import { decodeWith, encodeWith, fromLong, Long, packed, protobuf, unpacked } from './reference-proto.js';
import {
  batchToModel,
  expectedBatchModel,
  requestModel,
  toProtobufjs,
  UINT64_EDGES,
  type RequestModel,
} from './request-model.js';

const limits = { maxCandidates: 10_000 };
const decode = (bytes: Uint8Array): RankBatch => decodeRankRequest(bytes, limits);

describe('decodeRankRequest against protobufjs', () => {
  it('reads an empty message as proto3 defaults', () => {
    const b = decode(new Uint8Array(0));
    expect(b.api).toBe('rank');
    expect(b.userId).toBe(0n);
    expect(b.userIdNumber).toBe(0);
    expect(b.count).toBe(0);
    expect(b.itemIds).toBeInstanceOf(Float64Array);
    expect(b.itemIds.length).toBe(0);
    expect(Array.from(b.featureOffsets)).toEqual([0]);
    expect(b.featureIds.length + b.featureValues.length + b.userFeatureIds.length + b.userFeatureValues.length).toBe(0);
    expect([b.topK, b.requestId, b.wantTimings, b.explain]).toEqual([0, '', false, false]);
  });

  it.each(UINT64_EDGES)('reads user_id %s exactly, as a number only when below 2^53', (id) => {
    const b = decode(encodeWith(packed.RankRequest, toProtobufjs({ userId: id })));
    expect(b.userId).toBe(id);
    if (id < 2n ** 53n) expect(b.userIdNumber).toBe(Number(id));
    else expect(b.userIdNumber).toBeNaN();
  });

  it('keeps item ids in a Float64Array while every id is below 2^53', () => {
    const ids = [0n, 1n, 2n ** 32n, 2n ** 53n - 1n];
    const b = decode(encodeWith(packed.RankRequest, toProtobufjs({ candidates: ids.map(candidate) })));
    expect(b.itemIds).toBeInstanceOf(Float64Array);
    expect(Array.from(b.itemIds as Float64Array)).toEqual(ids.map(Number));
  });

  it('moves item ids to a BigUint64Array, all exact, once one reaches 2^53', () => {
    const ids = [1n, 2n ** 53n - 1n, 2n ** 32n, 2n ** 53n, 0n, 2n ** 64n - 1n, 7n];
    const b = decode(encodeWith(packed.RankRequest, toProtobufjs({ candidates: ids.map(candidate) })));
    expect(b.itemIds).toBeInstanceOf(BigUint64Array);
    expect(Array.from(b.itemIds as BigUint64Array)).toEqual(ids);
  });

  it('reads unpacked repeated fields like packed ones', () => {
    const m: Partial<RequestModel> = {
      userFeatureIds: [1, 300, 2 ** 32 - 1],
      userFeatureValues: [0.5, -2, 1e-40],
      candidates: [{ itemId: 9n, featureIds: [7, 8], featureValues: [1.25, -0] }],
    };
    const bytesPacked = encodeWith(packed.RankRequest, toProtobufjs(m));
    const bytesUnpacked = encodeWith(unpacked.RankRequest, toProtobufjs(m));
    expect(bytesUnpacked).not.toEqual(bytesPacked);
    expect(batchToModel(decode(bytesUnpacked))).toEqual(batchToModel(decode(bytesPacked)));
    expect(Array.from(decode(bytesUnpacked).featureValues)).toEqual([1.25, -0]);
  });

  it('appends packed chunks and single elements of one field in wire order', () => {
    const w = protobuf.Writer.create();
    w.uint32((3 << 3) | 2).fork().uint32(1).uint32(2).ldelim(); // user_feature_ids packed [1, 2]
    w.uint32((4 << 3) | 5).float(0.5); // user_feature_values unpacked 0.5
    w.uint32((3 << 3) | 0).uint32(3); // user_feature_ids unpacked 3
    w.uint32((4 << 3) | 2).fork().float(1.5).float(2.5).ldelim(); // user_feature_values packed
    w.uint32((5 << 3) | 2).fork();
    w.uint32((3 << 3) | 5).float(4); // feature_values before feature_ids
    w.uint32((2 << 3) | 2).fork().uint32(40).ldelim();
    w.uint32((1 << 3) | 0).uint64(5).uint32((1 << 3) | 0).uint64(6); // item_id twice: last wins
    w.uint32((2 << 3) | 0).uint32(41);
    w.uint32((3 << 3) | 2).fork().float(5).ldelim();
    w.ldelim();
    const b = decode(w.finish());
    expect(Array.from(b.userFeatureIds)).toEqual([1, 2, 3]);
    expect(Array.from(b.userFeatureValues)).toEqual([0.5, 1.5, 2.5]);
    expect(batchToModel(b).candidates).toEqual([{ itemId: 6n, featureIds: [40, 41], featureValues: [4, 5] }]);
  });

  it('keeps the low 32 bits of 6- to 10-byte varints anywhere in a packed run', () => {
    const wide = [2n ** 32n + 7n, 2n ** 63n + 5n, 2n ** 64n - 1n, 2n ** 40n];
    const values = [...wide, 1n, 300n, ...wide, 2n ** 35n + 9n];
    const w = protobuf.Writer.create();
    w.uint32((3 << 3) | 2).fork();
    for (const v of values) w.uint64(Long.fromString(v.toString(), true));
    w.ldelim();
    w.uint32((4 << 3) | 2).fork();
    for (let i = 0; i < values.length; i++) w.float(i);
    w.ldelim();
    const b = decode(w.finish());
    expect(Array.from(b.userFeatureIds)).toEqual(values.map((v) => Number(v & 0xffffffffn)));
  });

  it('lets the last value of a scalar field win, as protobuf merging does', () => {
    const first = encodeWith(packed.RankRequest, { api: 'a', topK: 3, requestId: 'r1', wantTimings: true });
    const second = encodeWith(packed.RankRequest, { api: 'b', topK: 4, explain: true });
    const b = decode(Buffer.concat([first, second]));
    expect([b.api, b.topK, b.requestId, b.wantTimings, b.explain]).toEqual(['b', 4, 'r1', true, true]);
  });

  it('reads any non-zero varint as true, even one whose low 32 bits are zero', () => {
    const w = protobuf.Writer.create();
    w.uint32(8 << 3).uint64(Long.fromString('4294967296', true));
    w.uint32(9 << 3).uint64(0);
    const b = decode(w.finish());
    expect([b.wantTimings, b.explain]).toEqual([true, false]);
  });

  it('keeps the low 32 bits of a wider varint in a uint32 field, like protobufjs', () => {
    const w = protobuf.Writer.create();
    w.uint32(6 << 3).uint64(Long.fromString('4294967301', true)); // 2^32 + 5
    const bytes = w.finish();
    expect(decode(bytes).topK).toBe(5);
    expect(decodeWith(packed.RankRequest, bytes).topK).toBe(5);
  });

  it('skips unknown fields of every wire type, at the top level and inside candidates', () => {
    const w = protobuf.Writer.create();
    writeUnknownFields(w, 100);
    w.uint32((2 << 3) | 0).uint64(Long.fromString('12345678901234', true));
    w.uint32((5 << 3) | 2).fork();
    writeUnknownFields(w, 4);
    w.uint32((1 << 3) | 0).uint64(77);
    writeUnknownFields(w, 536870911); // the largest field number
    w.uint32((2 << 3) | 2).fork().uint32(1).ldelim();
    w.uint32((3 << 3) | 2).fork().float(2).ldelim();
    w.ldelim();
    writeUnknownFields(w, 10);
    const bytes = w.finish();
    const b = decode(bytes);
    expect(b.userId).toBe(12345678901234n);
    expect(batchToModel(b).candidates).toEqual([{ itemId: 77n, featureIds: [1], featureValues: [2] }]);
    // protobufjs agrees that these bytes are this message.
    const ref = decodeWith(packed.RankRequest, bytes);
    expect(fromLong(ref.userId)).toBe(12345678901234n);
  });

  it('decodes random requests as protobufjs encodes them, packed or unpacked', () => {
    fc.assert(
      fc.property(requestModel, fc.boolean(), (m, usePacked) => {
        const type = usePacked ? packed.RankRequest : unpacked.RankRequest;
        const b = decode(encodeWith(type, toProtobufjs(m)));
        expect(batchToModel(b)).toEqual(expectedBatchModel(m));
        expect(b.itemIds).toBeInstanceOf(m.candidates.every((c) => c.itemId < 2n ** 53n) ? Float64Array : BigUint64Array);
        expect(b.featureOffsets.length).toBe(m.candidates.length + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes random requests split over concatenated messages with unknown fields between them', () => {
    fc.assert(
      fc.property(requestModel, fc.nat(), fc.nat(), fc.integer({ min: 10, max: 2000 }), (m, cutUser, cutCand, unknown) => {
        const u = cutUser % (m.userFeatureIds.length + 1);
        const c = cutCand % (m.candidates.length + 1);
        const { userFeatureIds, userFeatureValues, candidates, ...scalars } = m;
        const parts = [
          encodeWith(unpacked.RankRequest, toProtobufjs({ userFeatureIds: userFeatureIds.slice(0, u), userFeatureValues: userFeatureValues.slice(0, u), candidates: candidates.slice(0, c) })),
          unknownFieldBytes(unknown),
          encodeWith(packed.RankRequest, toProtobufjs(scalars)),
          encodeWith(packed.RankRequest, toProtobufjs({ userFeatureIds: userFeatureIds.slice(u), userFeatureValues: userFeatureValues.slice(u), candidates: candidates.slice(c) })),
        ];
        expect(batchToModel(decode(Buffer.concat(parts)))).toEqual(expectedBatchModel(m));
      }),
      { numRuns: 200 },
    );
  });

  it('replaces invalid UTF-8 in strings with U+FFFD', () => {
    const w = protobuf.Writer.create();
    w.uint32((1 << 3) | 2).bytes(Uint8Array.from([0x72, 0xff, 0x6b]));
    w.uint32((7 << 3) | 2).bytes(Uint8Array.from([0xe2, 0x82]));
    const b = decode(w.finish());
    expect(b.api).toBe('r\ufffdk');
    expect(b.requestId).toBe('\ufffd');
  });

  it('reads a large request whose feature arrays outgrow their first allocation', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => i * 7919);
    const values = ids.map((i) => Math.fround(i / 3));
    const m = { userFeatureIds: ids, userFeatureValues: values, candidates: [{ itemId: 1n, featureIds: ids, featureValues: values }] };
    const b = decode(encodeWith(packed.RankRequest, toProtobufjs(m)));
    expect(Array.from(b.userFeatureIds)).toEqual(ids);
    expect(Array.from(b.featureValues)).toEqual(values);
  });

  it('reads from a Uint8Array that starts at an odd offset of a larger buffer', () => {
    const m = { userFeatureIds: [3], userFeatureValues: [1.5], candidates: [{ itemId: 2n, featureIds: [4, 5], featureValues: [0.25, 8] }] };
    const bytes = encodeWith(packed.RankRequest, toProtobufjs(m));
    const host = new Uint8Array(bytes.length + 3);
    host.set(bytes, 1);
    expect(batchToModel(decode(host.subarray(1, 1 + bytes.length)))).toEqual(expectedBatchModel({ ...emptyModel(), ...m }));
  });
});

describe('encodeRankRequest', () => {
  it('writes nothing for an all-default request', () => {
    expect(encodeRankRequest({}).length).toBe(0);
  });

  it.each(UINT64_EDGES)('writes uint64 %s exactly, given as a bigint or a decimal string', (id) => {
    for (const given of [id, id.toString()]) {
      const ref = decodeWith(packed.RankRequest, encodeRankRequest({ userId: given, candidates: [{ itemId: given }] }));
      expect(fromLong(ref.userId)).toBe(id);
      expect(fromLong((ref.candidates as { itemId: unknown }[])[0]!.itemId)).toBe(id);
    }
  });

  it('encodes random requests as protobufjs decodes them', () => {
    fc.assert(
      fc.property(requestModel, (m) => {
        const ref = decodeWith(packed.RankRequest, encodeRankRequest(m));
        expect(referenceToModel(ref)).toEqual({ ...expectedBatchModel(m), api: m.api === '' ? '' : expectedBatchModel(m).api });
      }),
      { numRuns: 300 },
    );
  });

  it('writes the same bytes from candidate objects, columns and a decoded batch, and round-trips through the decoder', () => {
    fc.assert(
      fc.property(requestModel, (m) => {
        const fromObjects = encodeRankRequest(m);
        const offsets = [0];
        for (const c of m.candidates) offsets.push(offsets.at(-1)! + c.featureIds.length);
        const columns = {
          itemIds: m.candidates.map((c) => c.itemId),
          featureOffsets: Uint32Array.from(offsets),
          featureIds: Uint32Array.from(m.candidates.flatMap((c) => c.featureIds)),
          featureValues: Float32Array.from(m.candidates.flatMap((c) => c.featureValues)),
        };
        expect(encodeRankRequest({ ...m, candidates: columns })).toEqual(fromObjects);
        const batch = decode(fromObjects);
        expect(batchToModel(batch)).toEqual(expectedBatchModel(m));
        const again = encodeRankRequest({ ...batch, api: m.api, candidates: batch });
        expect(again).toEqual(fromObjects);
      }),
      { numRuns: 300 },
    );
  });

  it('returns bytes that own their whole ArrayBuffer, so they can be transferred', () => {
    const bytes = encodeRankRequest({ api: 'rank', userId: 5, candidates: [{ itemId: 1, featureIds: [1], featureValues: [1] }] });
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('refuses input it cannot encode exactly, naming it', () => {
    expect(() => encodeRankRequest({ userId: 2 ** 53 })).toThrow(/userId must be an integer in \[0, 2\^53\)/);
    expect(() => encodeRankRequest({ userId: -1 })).toThrow(RangeError);
    expect(() => encodeRankRequest({ userId: 2n ** 64n })).toThrow(/userId must be in \[0, 2\^64\)/);
    expect(() => encodeRankRequest({ userId: '12x' })).toThrow(/decimal uint64 string/);
    expect(() => encodeRankRequest({ topK: -1 })).toThrow(/topK must be a uint32/);
    expect(() => encodeRankRequest({ userFeatureIds: [1], userFeatureValues: [] })).toThrow(
      'userFeatureIds has 1 entries but userFeatureValues has 0',
    );
    expect(() => encodeRankRequest({ candidates: [{ itemId: 1 }, { itemId: 2, featureIds: [1, 2], featureValues: [1] }] })).toThrow(
      'candidates[1] has 2 featureIds but 1 featureValues',
    );
    expect(() => encodeRankRequest({ candidates: [{ itemId: 1, featureIds: [2 ** 32], featureValues: [1] }] })).toThrow(
      'candidates[0].featureIds[0] must be a uint32, got 4294967296',
    );
    expect(() =>
      encodeRankRequest({ candidates: { itemIds: [1, 2], featureOffsets: [0, 1], featureIds: [1], featureValues: [1] } }),
    ).toThrow('featureOffsets needs 3 entries for 2 candidates, has 2');
    expect(() =>
      encodeRankRequest({ candidates: { itemIds: [1], featureOffsets: [0, 2], featureIds: [1], featureValues: [1, 2] } }),
    ).toThrow(/past featureIds/);
  });
});

function candidate(itemId: bigint) {
  return { itemId, featureIds: [], featureValues: [] };
}

function emptyModel(): RequestModel {
  return { api: '', userId: 0n, userFeatureIds: [], userFeatureValues: [], candidates: [], topK: 0, requestId: '', wantTimings: false, explain: false };
}

function referenceToModel(ref: Record<string, unknown>): RequestModel {
  const candidates = ref.candidates as { itemId: unknown; featureIds: number[]; featureValues: number[] }[];
  return {
    api: ref.api as string,
    userId: fromLong(ref.userId),
    userFeatureIds: ref.userFeatureIds as number[],
    userFeatureValues: ref.userFeatureValues as number[],
    candidates: candidates.map((c) => ({ itemId: fromLong(c.itemId), featureIds: c.featureIds, featureValues: c.featureValues })),
    topK: ref.topK as number,
    requestId: ref.requestId as string,
    wantTimings: ref.wantTimings as boolean,
    explain: ref.explain as boolean,
  };
}

/** One unknown field of each wire type, numbered from `field`, a group holding nested fields included. */
function writeUnknownFields(w: protobuf.Writer, field: number): void {
  w.uint32(((field << 3) | 0) >>> 0).uint64(Long.fromString('18446744073709551615', true));
  w.uint32(((field << 3) | 1) >>> 0).fixed64(1);
  w.uint32(((field << 3) | 2) >>> 0).bytes(Uint8Array.from([1, 2, 3]));
  w.uint32(((field << 3) | 3) >>> 0);
  w.uint32((1 << 3) | 0).uint32(5);
  w.uint32((2 << 3) | 3).uint32((1 << 3) | 5).fixed32(9).uint32((2 << 3) | 4);
  w.uint32(((field << 3) | 4) >>> 0);
  w.uint32(((field << 3) | 5) >>> 0).fixed32(7);
}

function unknownFieldBytes(field: number): Uint8Array {
  const w = protobuf.Writer.create();
  writeUnknownFields(w, field);
  return w.finish();
}
