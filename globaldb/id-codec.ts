import type { Id } from './table.js';

/**
 * Ids are unsigned 64-bit integers. Tables keep them as two uint32 halves
 * (lo, hi): one representation for the whole range, and two integer compares
 * per probe instead of a bigint compare.
 */

export const MAX_ID = 0xffff_ffff_ffff_ffffn;
export const TWO_POW_32 = 4294967296;

/** Halves written by `splitId`; a shared scratch so the slow paths do not return a fresh pair per call. */
export const idHalves = new Uint32Array(2);

/** The high half of a number id (the low half is `id >>> 0`). */
function highHalf(id: number): number {
  return (id * 2.3283064365386963e-10) >>> 0; // × 2^-32: exact, and quicker than ÷
}

/**
 * True when the halves re-assemble to `id` and `id` is a safe integer. One
 * check covers negatives, fractions, NaN and ±Infinity; numbers above 2^53−1
 * are refused because a larger id may already have been rounded into them.
 */
function isNumberId(id: number, lo: number, hi: number): boolean {
  return hi * TWO_POW_32 + lo === id && id <= Number.MAX_SAFE_INTEGER;
}

export function invalidNumberId(id: number): never {
  throw new RangeError(
    `invalid id ${id}: a number id must be an integer in 0..2^53-1; give larger ids as bigint or decimal string`,
  );
}

const DECIMAL = /^[0-9]+$/;

/** Writes the halves of any id to `out` ([lo, hi]); throws RangeError on an invalid id. */
export function splitId(id: Id, out: Uint32Array = idHalves): void {
  if (typeof id === 'number') {
    const lo = id >>> 0;
    const hi = highHalf(id);
    if (!isNumberId(id, lo, hi)) invalidNumberId(id);
    out[0] = lo;
    out[1] = hi;
  } else if (typeof id === 'bigint') {
    if (id < 0n || id > MAX_ID) throw new RangeError(`invalid id ${id}n: ids are in 0..2^64-1`);
    out[0] = Number(id & 0xffff_ffffn);
    out[1] = Number(id >> 32n);
  } else if (typeof id === 'string') {
    if (!DECIMAL.test(id)) throw new RangeError(`invalid id "${id}": expected an unsigned decimal integer`);
    if (id.length <= 15) {
      // 15 digits are always below 2^53, so Number is exact.
      const n = Number(id);
      out[0] = n >>> 0;
      out[1] = highHalf(n);
    } else {
      const b = BigInt(id);
      if (b > MAX_ID) throw new RangeError(`invalid id "${id}": ids are in 0..2^64-1`);
      out[0] = Number(b & 0xffff_ffffn);
      out[1] = Number(b >> 32n);
    }
  } else {
    throw new TypeError(`invalid id of type ${typeof id}: expected number, bigint or decimal string`);
  }
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * A BigUint64Array seen as [lo, hi] uint32 pairs, so batch lookups read the
 * halves without creating a bigint per id. Null on a big-endian host, where
 * the pair order differs; callers then fall back to bigint arithmetic.
 */
export function halvesView(ids: BigUint64Array): Uint32Array | null {
  return HOST_LITTLE_ENDIAN ? new Uint32Array(ids.buffer, ids.byteOffset, ids.length * 2) : null;
}
