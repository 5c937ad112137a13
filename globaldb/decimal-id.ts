/**
 * Parses an unsigned 64-bit decimal id from bytes into two uint32 halves,
 * without BigInt for ids below 2^53 (nearly all of them). Returns a reason
 * when the bytes are not such an id.
 */
export const parsedHalves = new Uint32Array(2);

const TWO_32 = 4294967296;

export function parseIdBytes(buf: Uint8Array, start: number, end: number): string | undefined {
  if (start === end) return 'empty id';
  const digits = end - start;
  if (digits > 20) return `id "${text(buf, start, end)}" is longer than any unsigned 64-bit id`;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return `id "${text(buf, start, end)}" is not an unsigned decimal integer`;
    n = n * 10 + d;
  }
  if (digits <= 15) {
    parsedHalves[0] = n >>> 0;
    parsedHalves[1] = Math.floor(n / TWO_32);
    return undefined;
  }
  const big = BigInt(text(buf, start, end));
  if (big > 0xffff_ffff_ffff_ffffn) return `id ${big} is above 2^64 - 1`;
  parsedHalves[0] = Number(big & 0xffff_ffffn);
  parsedHalves[1] = Number(big >> 32n);
  return undefined;
}

/** A uint32 value in decimal, or a reason. */
export function parseUint32Bytes(buf: Uint8Array, start: number, end: number): number | string {
  if (start === end) return 'empty value';
  if (end - start > 10) return `value "${text(buf, start, end)}" does not fit an unsigned 32-bit integer`;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return `value "${text(buf, start, end)}" is not an unsigned decimal integer`;
    n = n * 10 + d;
  }
  if (n > 0xffff_ffff) return `value ${n} does not fit an unsigned 32-bit integer (max 4294967295)`;
  return n;
}

export function text(buf: Uint8Array, start: number, end: number): string {
  const shown = Math.min(end, start + 40);
  return Buffer.from(buf.buffer, buf.byteOffset + start, shown - start).toString('utf8') + (end > shown ? '…' : '');
}
