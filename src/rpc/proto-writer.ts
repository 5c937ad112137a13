import { littleEndianHost } from './host-endian.js';
import { WireType } from './wire-type.js';

const TWO_POW_32 = 4294967296;
const MAX_UINT64 = (1n << 64n) - 1n;
/** Below this length JS loops beat the native UTF-8 calls' fixed cost. */
const SHORT_STRING = 32;
const utf8Encoder = new TextEncoder();

export function varint32Size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

export function varint64Size(lo: number, hi: number): number {
  if (hi === 0) return varint32Size(lo);
  // Bits above 31 start in byte 5 (bit 28 is byte 5's first bit).
  const bits = 32 + (32 - Math.clz32(hi));
  return Math.ceil(bits / 7);
}

/** A uint64 split into 32-bit halves: the form the writer takes 64-bit values in. */
export interface Uint64Halves {
  lo: number;
  hi: number;
}

/**
 * Splits a uint64 given as an exact non-negative integer number, a bigint, or
 * a decimal string. Throws RangeError for anything else (negative, fractional,
 * a number ≥ 2^53 that may have lost digits, a value ≥ 2^64).
 */
export function splitUint64(value: number | bigint | string, what: string, out: Uint64Halves): Uint64Halves {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${what} must be an integer in [0, 2^53) as a number (use a bigint or string above), got ${value}`);
    }
    out.lo = value >>> 0;
    out.hi = (value - out.lo) / TWO_POW_32;
    return out;
  }
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (/^[0-9]+$/.test(value)) big = BigInt(value);
  else throw new RangeError(`${what} must be a decimal uint64 string, got ${JSON.stringify(value)}`);
  if (big < 0n || big > MAX_UINT64) throw new RangeError(`${what} must be in [0, 2^64), got ${big}`);
  out.lo = Number(big & 0xffffffffn);
  out.hi = Number(big >> 32n);
  return out;
}

/** Bytes of `s` in UTF-8, lone surrogates counted as U+FFFD (3 bytes) like TextEncoder writes them. */
export function utf8Length(s: string): number {
  const n = s.length;
  if (n >= SHORT_STRING) return Buffer.byteLength(s, 'utf8');
  let len = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) len += 1;
    else if (c < 0x800) len += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      len += 4;
      i++;
    } else len += 3;
  }
  return len;
}

/**
 * Writes protobuf wire bytes into a buffer of a size the codec computed
 * beforehand, so encoding allocates once and the result owns its whole
 * ArrayBuffer (transferable to another thread). `finish` checks that the
 * computed size was exact.
 */
export class ProtoWriter {
  readonly bytes: Uint8Array;
  pos = 0;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  writeVarint32(v: number): void {
    const bytes = this.bytes;
    let pos = this.pos;
    while (v >= 0x80) {
      bytes[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    bytes[pos++] = v;
    this.pos = pos;
  }

  writeTag(field: number, wireType: number): void {
    this.writeVarint32(((field << 3) | wireType) >>> 0);
  }

  writeVarint64(lo: number, hi: number): void {
    if (hi === 0) {
      this.writeVarint32(lo);
      return;
    }
    const bytes = this.bytes;
    let pos = this.pos;
    for (let i = 0; i < 4; i++) {
      bytes[pos++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    // Byte 5 carries lo's top 4 bits and hi's low 3.
    let v = lo | ((hi & 0x7) << 4);
    hi >>>= 3;
    bytes[pos++] = hi === 0 ? v : v | 0x80;
    while (hi !== 0) {
      v = hi & 0x7f;
      hi >>>= 7;
      bytes[pos++] = hi === 0 ? v : v | 0x80;
    }
    this.pos = pos;
  }

  writeFloat32(v: number): void {
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
  }

  writeFloat64(v: number): void {
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** values[start..end) as little-endian float32s: a byte copy for a Float32Array on a little-endian host. */
  writeFloat32s(values: ArrayLike<number>, start: number, end: number): void {
    if (values instanceof Float32Array && littleEndianHost) {
      this.bytes.set(new Uint8Array(values.buffer, values.byteOffset + start * 4, (end - start) * 4), this.pos);
      this.pos += (end - start) * 4;
      return;
    }
    const view = this.view;
    let pos = this.pos;
    for (let i = start; i < end; i++, pos += 4) view.setFloat32(pos, values[i]!, true);
    this.pos = pos;
  }

  /** `s` as UTF-8; `byteLength` must be utf8Length(s). */
  writeString(s: string, byteLength: number): void {
    const bytes = this.bytes;
    let pos = this.pos;
    if (byteLength === s.length && byteLength < SHORT_STRING) {
      for (let i = 0; i < byteLength; i++) bytes[pos++] = s.charCodeAt(i);
      this.pos = pos;
      return;
    }
    const { written } = utf8Encoder.encodeInto(s, bytes.subarray(pos, pos + byteLength));
    if (written !== byteLength) throw new Error(`utf8Length said ${byteLength} bytes, TextEncoder wrote ${written}`);
    this.pos = pos + byteLength;
  }

  /** Tag, length and text of a string field. */
  writeStringField(field: number, s: string, byteLength: number): void {
    this.writeTag(field, WireType.LengthDelimited);
    this.writeVarint32(byteLength);
    this.writeString(s, byteLength);
  }

  finish(): Uint8Array {
    if (this.pos !== this.bytes.length) {
      throw new Error(`encoder size mismatch: computed ${this.bytes.length} bytes, wrote ${this.pos}`);
    }
    return this.bytes;
  }
}

/** Size of a string field with a non-empty value: tag + length + text. */
export function stringFieldSize(field: number, byteLength: number): number {
  return varint32Size(field << 3) + varint32Size(byteLength) + byteLength;
}

/** Size of a tag for `field`. */
export function tagSize(field: number): number {
  return varint32Size(field << 3);
}
