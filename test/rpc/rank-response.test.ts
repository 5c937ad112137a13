import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRankResponse, encodeRankResponse, type RankResult } from '../../src/rpc/rank-response.js';
import { RequestError } from '../../src/rpc/request-error.js';
import { decodeWith, encodeWith, Long, packed, protobuf, toLong, unpacked } from './reference-proto.js';
import { uint64, utf8RoundTrip, UINT64_EDGES } from './request-model.js';

/** A RankResponse as plain values with uint64s as bigints. */
interface ResponseModel {
  items: { itemId: bigint; score: number; algorithmScores: number[] }[];
  plan: string;
  generation: bigint;
  timings: { stage: string; ms: number }[];
  requestId: string;
  algorithms: string[];
}

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ minLength: 30, maxLength: 60 }));
const double = fc.oneof(fc.constantFrom(0, -0, NaN, Infinity, 1e-310), fc.double());

const rankResult: fc.Arbitrary<RankResult> = fc
  .array(uint64, { maxLength: 20 })
  .chain((ids) => {
    const n = ids.length;
    return fc.record({
      ids: fc.constant(ids),
      asBigInts: fc.boolean(),
      scores: fc.array(double, { minLength: n, maxLength: n }),
      order: n === 0 ? fc.constant([]) : fc.array(fc.nat(n - 1), { maxLength: n + 2 }),
      plan: text,
      generation: fc.oneof(fc.constantFrom(0, 1, 2 ** 32, 2 ** 53 - 1), fc.maxSafeNat()),
      requestId: text,
      algorithms: fc.array(text, { maxLength: 3 }),
      timings: fc.option(fc.array(fc.record({ stage: text, ms: double }), { maxLength: 4 }), { nil: undefined }),
      explain: fc.boolean(),
      seed: fc.integer(),
    });
  })
  .map((r) => {
    const small = r.ids.every((id) => id < 2n ** 53n) && !r.asBigInts;
    const result: RankResult = {
      itemIds: small ? Float64Array.from(r.ids, Number) : BigUint64Array.from(r.ids),
      scores: Float64Array.from(r.scores),
      order: Uint32Array.from(r.order),
      plan: r.plan,
      generation: r.generation,
      requestId: r.requestId,
      algorithms: r.algorithms,
    };
    if (r.timings) result.timings = r.timings;
    if (r.explain) {
      result.algorithmScores = r.algorithms.map((_, a) => Float64Array.from(r.ids, (_, i) => (r.seed % 97) * a + i / 7 - 3));
    }
    return result;
  });

/** What a client should read back from `r`. */
function expectedModel(r: RankResult): ResponseModel {
  return {
    items: Array.from(r.order, (k) => ({
      itemId: BigInt(r.itemIds[k]!),
      score: r.scores[k]!,
      algorithmScores: r.algorithmScores ? r.algorithmScores.map((s) => s[k]!) : [],
    })),
    plan: utf8RoundTrip(r.plan),
    generation: BigInt(r.generation),
    timings: (r.timings ?? []).map((t) => ({ stage: utf8RoundTrip(t.stage), ms: t.ms })),
    requestId: utf8RoundTrip(r.requestId),
    algorithms: r.algorithms.map(utf8RoundTrip),
  };
}

function referenceToModel(ref: Record<string, unknown>): ResponseModel {
  const items = ref.items as { itemId: string; score: number; algorithmScores: number[] }[];
  return {
    items: items.map((i) => ({ itemId: BigInt(i.itemId), score: i.score, algorithmScores: i.algorithmScores })),
    plan: ref.plan as string,
    generation: BigInt(ref.generation as string),
    timings: ref.timings as ResponseModel['timings'],
    requestId: ref.requestId as string,
    algorithms: ref.algorithms as string[],
  };
}

function decodedToModel(bytes: Uint8Array): ResponseModel {
  const d = decodeRankResponse(bytes);
  return { ...d, generation: BigInt(d.generation), items: d.items.map((i) => ({ ...i, itemId: BigInt(i.itemId) })) };
}

function modelToReference(m: ResponseModel): Record<string, unknown> {
  return {
    ...m,
    generation: toLong(m.generation),
    items: m.items.map((i) => ({ ...i, itemId: toLong(i.itemId) })),
  };
}

const emptyResult = (): RankResult => ({
  itemIds: new Float64Array(0),
  scores: new Float64Array(0),
  order: new Uint32Array(0),
  plan: '',
  generation: 0,
  requestId: '',
  algorithms: [],
});

describe('encodeRankResponse against protobufjs', () => {
  it('writes nothing for an empty result', () => {
    const bytes = encodeRankResponse(emptyResult());
    expect(bytes.length).toBe(0);
    expect(referenceToModel(decodeWith(packed.RankResponse, bytes))).toEqual(expectedModel(emptyResult()));
  });

  it.each(UINT64_EDGES)('writes item id %s exactly', (id) => {
    const r: RankResult = {
      ...emptyResult(),
      itemIds: id < 2n ** 53n ? Float64Array.of(Number(id)) : BigUint64Array.of(id),
      scores: Float64Array.of(0.5),
      order: Uint32Array.of(0),
    };
    expect(referenceToModel(decodeWith(packed.RankResponse, encodeRankResponse(r))).items[0]!.itemId).toBe(id);
  });

  it('writes the items `order` selects, best first, with their scores and per-algorithm scores', () => {
    const r: RankResult = {
      itemIds: BigUint64Array.of(10n, 2n ** 64n - 1n, 30n),
      scores: Float64Array.of(0.1, 0.9, -0),
      order: Uint32Array.of(1, 2),
      plan: '-2',
      generation: 2 ** 53 - 1,
      requestId: 'req-1',
      algorithms: ['lr', 'fm'],
      timings: [{ stage: 'decode', ms: 0.25 }, { stage: '', ms: 0 }],
      algorithmScores: [Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6)],
    };
    const ref = referenceToModel(decodeWith(packed.RankResponse, encodeRankResponse(r)));
    expect(ref).toEqual({
      items: [
        { itemId: 2n ** 64n - 1n, score: 0.9, algorithmScores: [2, 5] },
        { itemId: 30n, score: -0, algorithmScores: [3, 6] },
      ],
      plan: '-2',
      generation: 2n ** 53n - 1n,
      timings: [{ stage: 'decode', ms: 0.25 }, { stage: '', ms: 0 }],
      requestId: 'req-1',
      algorithms: ['lr', 'fm'],
    });
    expect(Object.is(ref.items[1]!.score, -0)).toBe(true);
  });

  it('encodes random results as protobufjs and decodeRankResponse read them', () => {
    fc.assert(
      fc.property(rankResult, (r) => {
        const bytes = encodeRankResponse(r);
        expect(referenceToModel(decodeWith(packed.RankResponse, bytes))).toEqual(expectedModel(r));
        expect(decodedToModel(bytes)).toEqual(expectedModel(r));
        expect(bytes.buffer.byteLength).toBe(bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses inconsistent results with a RangeError that says what is wrong', () => {
    const base = { ...emptyResult(), itemIds: Float64Array.of(1, 2), scores: Float64Array.of(1, 2) };
    expect(() => encodeRankResponse({ ...base, order: Uint32Array.of(0, 2) })).toThrow(
      'order[1] = 2 is past itemIds (2) or scores (2)',
    );
    expect(() => encodeRankResponse({ ...base, scores: Float64Array.of(1), order: Uint32Array.of(1) })).toThrow(
      'order[0] = 1 is past itemIds (2) or scores (1)',
    );
    expect(() => encodeRankResponse({ ...base, itemIds: Float64Array.of(1.5, 2), order: Uint32Array.of(0) })).toThrow(
      'itemIds[0] = 1.5 is not a uint64 below 2^53',
    );
    expect(() =>
      encodeRankResponse({ ...base, order: Uint32Array.of(0), algorithms: ['a', 'b'], algorithmScores: [Float64Array.of(1, 2)] }),
    ).toThrow('algorithmScores has 1 arrays for 2 algorithms');
    expect(() =>
      encodeRankResponse({ ...base, order: Uint32Array.of(0), algorithms: ['a'], algorithmScores: [Float64Array.of(1)] }),
    ).toThrow('algorithmScores[0] has 1 scores for 2 items');
    expect(() => encodeRankResponse({ ...base, generation: -1 })).toThrow(RangeError);
  });
});

describe('decodeRankResponse against protobufjs', () => {
  it('reads random responses protobufjs encodes, packed or unpacked', () => {
    fc.assert(
      fc.property(rankResult, fc.boolean(), (r, usePacked) => {
        const m = expectedModel(r);
        const bytes = encodeWith(usePacked ? packed.RankResponse : unpacked.RankResponse, modelToReference(m));
        expect(decodedToModel(bytes)).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  it('gives uint64s as numbers below 2^53 and bigints from 2^53', () => {
    const bytes = encodeWith(packed.RankResponse, {
      generation: toLong(2n ** 53n),
      items: [{ itemId: toLong(2n ** 53n - 1n) }, { itemId: toLong(2n ** 64n - 1n) }],
    });
    const d = decodeRankResponse(bytes);
    expect(d.generation).toBe(2n ** 53n);
    expect(d.items.map((i) => i.itemId)).toEqual([2 ** 53 - 1, 2n ** 64n - 1n]);
  });

  it('skips unknown fields inside items and timings', () => {
    const w = protobuf.Writer.create();
    w.uint32((1 << 3) | 2).fork();
    w.uint32((9 << 3) | 0).uint64(Long.fromString('18446744073709551615', true));
    w.uint32((1 << 3) | 0).uint64(42);
    w.uint32((9 << 3) | 5).fixed32(1);
    w.ldelim();
    w.uint32((4 << 3) | 2).fork().uint32((7 << 3) | 2).string('x').uint32((1 << 3) | 2).string('score').ldelim();
    w.uint32((99 << 3) | 1).fixed64(5);
    const d = decodeRankResponse(w.finish());
    expect(d.items).toEqual([{ itemId: 42, score: 0, algorithmScores: [] }]);
    expect(d.timings).toEqual([{ stage: 'score', ms: 0 }]);
  });

  it('refuses malformed bytes with the message name and offset', () => {
    const refuse = (bytes: number[]) => {
      try {
        decodeRankResponse(Uint8Array.from(bytes));
      } catch (e) {
        expect(e).toBeInstanceOf(RequestError);
        expect((e as RequestError).code).toBe(status.INVALID_ARGUMENT);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(refuse([0x0a, 0x02, 0x11, 0x00])).toBe('malformed RankResponse: truncated fixed64 at byte 3');
    expect(refuse([0x0a, 0x03, 0x1a, 0x01, 0x00])).toBe('malformed RankResponse: packed double length 1 is not a multiple of 8 at byte 4');
    expect(refuse([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])).toBe(
      'malformed RankResponse: generation varint exceeds 64 bits at byte 1',
    );
    expect(refuse([0x10, 0x01])).toBe('malformed RankResponse: field 2 (plan) has wire type 0 at byte 0');
  });
});
