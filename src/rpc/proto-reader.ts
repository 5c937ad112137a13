import { littleEndianHost } from './host-endian.js';
import { invalidArgument } from './request-error.js';
import { WireType } from './wire-type.js';

const TWO_POW_32 = 4294967296;
/** `hi` below this means hi·2^32 + lo < 2^53: exact as a number. */
const HI_EXACT_LIMIT = 0x200000;
/** Unknown groups nest; bound the recursion so hostile input cannot overflow the stack. */
const MAX_GROUP_DEPTH = 64;

const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
/** Below this length a JS loop decodes ASCII faster than a TextDecoder call. */
const SHORT_STRING = 32;

/** hi·2^32 + lo as a number when exact (< 2^53), else NaN. */
export function uint64ToNumber(lo: number, hi: number): number {
  return hi < HI_EXACT_LIMIT ? hi * TWO_POW_32 + lo : NaN;
}

export function uint64ToBigInt(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * A cursor over protobuf wire bytes. Every read is bounds-checked against
 * `limit` (the end of the message being read; codecs narrow it to decode a
 * nested message in place), and malformed input throws an INVALID_ARGUMENT
 * RequestError "malformed <message>: <reason> at byte <offset>" with the
 * offset counted from the start of `bytes`.
 *
 * Varints over 64 bits are not malformed input here but a value error the
 * codec reports with the field's name, so the varint reads signal them by
 * return value instead of throwing.
 */
export class ProtoReader {
  pos = 0;
  limit: number;
  /** Low and high 32 bits of the last varint read by readVarint64. */
  lo = 0;
  hi = 0;
  /** Offset of the last tag read, for errors about the field it starts. */
  tagStart = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly messageName: string,
  ) {
    this.limit = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(reason: string, at: number): never {
    throw invalidArgument(`malformed ${this.messageName}: ${reason} at byte ${at}`);
  }

  /** Field number << 3 | wire type, with both checked. */
  readTag(): number {
    const at = this.pos;
    this.tagStart = at;
    const tag = this.readVarint32();
    const len = this.pos - at;
    // A 5-byte varint holds 35 bits; the top 3 must be clear in a tag.
    if (tag < 0 || len > 5 || (len === 5 && this.bytes[at + 4]! > 0x0f)) this.fail('field tag exceeds 32 bits', at);
    if (tag >>> 3 === 0) this.fail('field number 0', at);
    const wireType = tag & 7;
    if (wireType > WireType.Fixed32) this.fail(`invalid wire type ${wireType} in field ${tag >>> 3}`, at);
    return tag;
  }

  /**
   * The low 32 bits of a varint as an unsigned number (proto3 truncates
   * wider varints for 32-bit fields), or -1 with `pos` left at the varint
   * when it exceeds 64 bits.
   */
  readVarint32(): number {
    const pos = this.pos;
    if (pos < this.limit) {
      const b = this.bytes[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.readVarint32Slow();
  }

  private readVarint32Slow(): number {
    const bytes = this.bytes;
    const limit = this.limit;
    const start = this.pos;
    let pos = start;
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= limit) this.fail('truncated varint', start);
      const b = bytes[pos++]!;
      // Bits past 31 fall off the 32-bit shift, which is the truncation we want.
      if (shift < 32) value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        if (shift === 63 && b > 1) return -1;
        this.pos = pos;
        return value >>> 0;
      }
    }
    return -1;
  }

  /**
   * Reads a 64-bit varint into `lo` and `hi`. Returns false, with `pos` left
   * at the varint, when it exceeds 64 bits.
   */
  readVarint64(): boolean {
    const bytes = this.bytes;
    const limit = this.limit;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= limit) this.fail('truncated varint', start);
      b = bytes[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = 0;
        this.pos = pos;
        return true;
      }
    }
    if (pos >= limit) this.fail('truncated varint', start);
    b = bytes[pos++]!;
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >>> 4;
    if (b >= 0x80) {
      for (let shift = 3; ; shift += 7) {
        if (shift > 31) return false;
        if (pos >= limit) this.fail('truncated varint', start);
        b = bytes[pos++]!;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) {
          if (shift === 31 && b > 1) return false;
          break;
        }
      }
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = pos;
    return true;
  }

  /** A length prefix, checked to fit before `limit`. */
  readLength(): number {
    const at = this.pos;
    const len = this.readVarint32();
    if (len < 0 || this.pos - at > 5 || len > 0x7fffffff) this.fail('length prefix exceeds 31 bits', at);
    if (len > this.limit - this.pos) {
      this.fail(`length ${len} runs past the end (${this.limit - this.pos} left)`, at);
    }
    return len;
  }

  readFloat32(): number {
    const pos = this.pos;
    if (this.limit - pos < 4) this.fail('truncated fixed32', pos);
    this.pos = pos + 4;
    return this.view.getFloat32(pos, true);
  }

  readFloat64(): number {
    const pos = this.pos;
    if (this.limit - pos < 8) this.fail('truncated fixed64', pos);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /**
   * Copies `count` little-endian float32s (already bounds-checked by the
   * caller) into `out` from index `at`: a byte copy on little-endian hosts.
   */
  copyFloat32s(out: Float32Array, outBytes: Uint8Array, at: number, count: number): void {
    const pos = this.pos;
    const byteLength = count * 4;
    if (littleEndianHost) {
      outBytes.set(this.bytes.subarray(pos, pos + byteLength), at * 4);
    } else {
      for (let i = 0; i < count; i++) out[at + i] = this.view.getFloat32(pos + i * 4, true);
    }
    this.pos = pos + byteLength;
  }

  /** UTF-8 text of `len` bytes (checked by readLength); invalid sequences become U+FFFD. */
  readString(len: number): string {
    const bytes = this.bytes;
    const start = this.pos;
    const end = start + len;
    this.pos = end;
    if (len < SHORT_STRING) {
      let s = '';
      for (let i = start; i < end; i++) {
        const b = bytes[i]!;
        if (b >= 0x80) return utf8Decoder.decode(bytes.subarray(start, end));
        s += String.fromCharCode(b);
      }
      return s;
    }
    return utf8Decoder.decode(bytes.subarray(start, end));
  }

  /** Skips the value of a field the codec does not know, of any wire type. */
  skipField(tag: number, depth = 0): void {
    const at = this.pos;
    switch (tag & 7) {
      case WireType.Varint:
        if (this.readVarint32() < 0) this.fail('varint exceeds 64 bits', at);
        return;
      case WireType.Fixed64:
        if (this.limit - at < 8) this.fail('truncated fixed64', at);
        this.pos = at + 8;
        return;
      case WireType.LengthDelimited: {
        const len = this.readLength();
        this.pos += len;
        return;
      }
      case WireType.StartGroup:
        this.skipGroup(tag >>> 3, depth);
        return;
      case WireType.EndGroup:
        return this.fail(`end of group ${tag >>> 3} without a start`, this.tagStart);
      default:
        if (this.limit - at < 4) this.fail('truncated fixed32', at);
        this.pos = at + 4;
    }
  }

  private skipGroup(field: number, depth: number): void {
    const start = this.pos;
    if (depth >= MAX_GROUP_DEPTH) this.fail(`groups nested deeper than ${MAX_GROUP_DEPTH}`, start);
    for (;;) {
      if (this.pos >= this.limit) this.fail(`group ${field} is not closed`, start);
      const tag = this.readTag();
      if ((tag & 7) === WireType.EndGroup) {
        if (tag >>> 3 !== field) this.fail(`group ${field} closed as group ${tag >>> 3}`, this.tagStart);
        return;
      }
      this.skipField(tag, depth + 1);
    }
  }

  /** Fails when a known field arrives with a wire type its declared type cannot use. */
  wrongWireType(tag: number, fieldName: string): never {
    this.fail(`field ${tag >>> 3} (${fieldName}) has wire type ${tag & 7}`, this.tagStart);
  }
}
