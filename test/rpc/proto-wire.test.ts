import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtoReader, uint64ToBigInt, uint64ToNumber } from '../../src/rpc/proto-reader.js';
import { ProtoWriter, splitUint64, utf8Length, varint32Size, varint64Size } from '../../src/rpc/proto-writer.js';
import { Long, protobuf } from './reference-proto.js';
import { uint64, UINT64_EDGES } from './request-model.js';

describe('varints', () => {
  it('write as protobufjs writes them, in the size computed beforehand, and read back exactly', () => {
    fc.assert(
      fc.property(uint64, (v) => {
        const h = splitUint64(v, 'v', { lo: 0, hi: 0 });
        const w = new ProtoWriter(varint64Size(h.lo, h.hi));
        w.writeVarint64(h.lo, h.hi);
        const bytes = w.finish();
        expect(Array.from(bytes)).toEqual(Array.from(protobuf.Writer.create().uint64(Long.fromString(v.toString(), true)).finish()));
        const r = new ProtoReader(bytes, 'test');
        expect(r.readVarint64()).toBe(true);
        expect(uint64ToBigInt(r.lo, r.hi)).toBe(v);
        expect(uint64ToNumber(r.lo, r.hi)).toBe(v < 2n ** 53n ? Number(v) : NaN);
        expect(r.pos).toBe(bytes.length);
        // A 32-bit read of the same varint keeps its low 32 bits.
        expect(new ProtoReader(bytes, 'test').readVarint32()).toBe(Number(v & 0xffffffffn));
      }),
      { numRuns: 1000 },
    );
  });

  it.each(UINT64_EDGES)('splits %s given as a number (when exact), bigint or string alike', (v) => {
    const fromBig = splitUint64(v, 'v', { lo: 0, hi: 0 });
    expect(splitUint64(v.toString(), 'v', { lo: 0, hi: 0 })).toEqual(fromBig);
    if (v < 2n ** 53n) expect(splitUint64(Number(v), 'v', { lo: 0, hi: 0 })).toEqual(fromBig);
  });

  it('size uint32s as written', () => {
    for (const v of [0, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 32 - 1]) {
      const w = new ProtoWriter(varint32Size(v));
      w.writeVarint32(v);
      expect(Array.from(w.finish())).toEqual(Array.from(protobuf.Writer.create().uint32(v).finish()));
    }
  });
});

describe('strings', () => {
  it('measure UTF-8 as Buffer does, lone surrogates as 3 bytes, short and long', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 }));
    fc.assert(
      fc.property(text, (s) => {
        const len = utf8Length(s);
        expect(len).toBe(Buffer.byteLength(s, 'utf8'));
        const w = new ProtoWriter(len);
        w.writeString(s, len);
        expect(Buffer.from(w.finish()).equals(Buffer.from(s, 'utf8'))).toBe(true);
        const r = new ProtoReader(w.bytes, 'test');
        expect(r.readString(len)).toBe(Buffer.from(s, 'utf8').toString('utf8'));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('ProtoWriter.finish', () => {
  it('fails loudly when a codec computed the wrong size', () => {
    const w = new ProtoWriter(3);
    w.writeVarint32(1);
    expect(() => w.finish()).toThrow('encoder size mismatch: computed 3 bytes, wrote 1');
  });
});
