import type { ProtoReader } from './proto-reader.js';

/**
 * Growable parallel columns of sparse features (uint32 id, float32 value)
 * decoded straight from the wire. Ids and values keep separate counts because
 * the two repeated fields arrive independently; the decoder checks they agree
 * at the end of each candidate.
 */
export class FeatureColumns {
  ids: Uint32Array;
  values: Float32Array;
  idCount = 0;
  valueCount = 0;
  /** Byte view of `values`, the target of packed-float copies. */
  private valueBytes: Uint8Array;

  constructor(capacity: number) {
    this.ids = new Uint32Array(capacity);
    this.values = new Float32Array(capacity);
    this.valueBytes = new Uint8Array(this.values.buffer);
  }

  /**
   * Appends a packed run of uint32 varints of `byteLength` bytes. Returns -1,
   * or the byte offset of a varint wider than 64 bits.
   */
  appendPackedIds(r: ProtoReader, byteLength: number): number {
    // At most one id per byte.
    if (this.idCount + byteLength > this.ids.length) this.growIds(this.idCount + byteLength);
    const ids = this.ids;
    const bytes = r.bytes;
    let n = this.idCount;
    let pos = r.pos;
    const end = pos + byteLength;
    // Hashed feature ids are mostly 3–5 byte varints: decode them inline while
    // a whole 10-byte varint fits before `end`, so no byte needs a bounds check.
    const fastEnd = end - 10;
    while (pos <= fastEnd) {
      let b = bytes[pos++]!;
      let v = b & 0x7f;
      if (b >= 0x80) {
        b = bytes[pos++]!;
        v |= (b & 0x7f) << 7;
        if (b >= 0x80) {
          b = bytes[pos++]!;
          v |= (b & 0x7f) << 14;
          if (b >= 0x80) {
            b = bytes[pos++]!;
            v |= (b & 0x7f) << 21;
            if (b >= 0x80) {
              b = bytes[pos++]!;
              v |= b << 28; // bits past 31 fall off: proto3 keeps the low 32
              if (b >= 0x80) {
                // Bytes 6–10 only carry bits past 31; the 10th may hold just bit 63.
                const start = pos - 5;
                while ((b = bytes[pos++]!) >= 0x80 && pos - start < 10);
                if (b >= 0x80 || (pos - start === 10 && b > 1)) return start;
              }
            }
          }
        }
      }
      ids[n++] = v >>> 0;
    }
    // The last few ids, where a varint could run past `end`: the checked reader.
    r.pos = pos;
    const outerLimit = r.limit;
    r.limit = end;
    while (r.pos < end) {
      const v = r.readVarint32();
      if (v < 0) {
        r.limit = outerLimit;
        return r.pos;
      }
      ids[n++] = v;
    }
    r.limit = outerLimit;
    this.idCount = n;
    return -1;
  }

  appendId(v: number): void {
    if (this.idCount === this.ids.length) this.growIds(this.idCount + 1);
    this.ids[this.idCount++] = v;
  }

  /** Appends a packed run of float32s of `byteLength` bytes (already checked to fit). */
  appendPackedValues(r: ProtoReader, byteLength: number): void {
    if (byteLength % 4 !== 0) r.fail(`packed float length ${byteLength} is not a multiple of 4`, r.pos);
    const count = byteLength / 4;
    if (this.valueCount + count > this.values.length) this.growValues(this.valueCount + count);
    r.copyFloat32s(this.values, this.valueBytes, this.valueCount, count);
    this.valueCount += count;
  }

  appendValue(v: number): void {
    if (this.valueCount === this.values.length) this.growValues(this.valueCount + 1);
    this.values[this.valueCount++] = v;
  }

  /** Index of the first NaN or ±Infinity in values[start..end), or -1. */
  firstNonFinite(start: number, end: number): number {
    const values = this.values;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      // v - v is 0 for every finite v and NaN otherwise.
      if (v - v !== 0) return i;
    }
    return -1;
  }

  private growIds(needed: number): void {
    const next = new Uint32Array(Math.max(needed, this.ids.length * 2, 16));
    next.set(this.ids.subarray(0, this.idCount));
    this.ids = next;
  }

  private growValues(needed: number): void {
    const next = new Float32Array(Math.max(needed, this.values.length * 2, 16));
    next.set(this.values.subarray(0, this.valueCount));
    this.values = next;
    this.valueBytes = new Uint8Array(next.buffer);
  }
}
