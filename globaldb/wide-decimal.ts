/**
 * Parses the decimal digits buf[start, end) into 64-bit halves out[0] (lo)
 * and out[1] (hi), exactly, without bigint. Returns false when the value
 * exceeds 2^64 − 1. For ids of 16+ digits; shorter ones fit a double.
 */
export function wideDecimal(buf: Uint8Array, start: number, end: number, out: Uint32Array): boolean {
  let lo = 0;
  let hi = 0;
  for (let i = start; i < end; i++) {
    // lo * 10 + 9 < 2^36 and hi * 10 + carry < 2^36: both exact in a double.
    const l = lo * 10 + (buf[i]! - 48);
    const carry = Math.floor(l / 4294967296);
    lo = l - carry * 4294967296;
    hi = hi * 10 + carry;
    if (hi > 0xffff_ffff) return false;
  }
  out[0] = lo;
  out[1] = hi;
  return true;
}
