/**
 * rankd's feature hashing, the contract between offline trainers and the
 * models served here (README "Feature hashing"):
 *
 *   feature id  = MurmurHash3_x86_32(UTF-8 bytes of "field=value", seed 0), a uint32
 *                 (a numeric feature id is used as it is)
 *   weights row = 1 + id mod (rows − 1)     row 0 holds the bias
 *
 * lr and fm index their weights tables this way; gbdt reads feature ids as
 * column indices instead (XGBoost's feature numbers).
 */
import { murmur3String } from './murmur3.js';

/** The feature id of a "field=value" string, exactly as written (no trimming or case folding). */
export function featureId(pair: string): number {
  return murmur3String(pair, 0);
}

/** The row of a weights table with `rows` rows (at least 2) that holds feature `id`. */
export function featureRow(id: number, rows: number): number {
  return 1 + (id % (rows - 1));
}

/**
 * featureRow for hot loops, given divisor = rows − 1 and inverse = 1 / divisor:
 * the remainder comes from a multiplication, as V8's % on uint32 ids (beyond
 * int32) costs ~5x more. Exact for every uint32 id and divisor: the quotient
 * estimate is off by at most one, and corrected.
 */
export function featureRowFast(id: number, divisor: number, inverse: number): number {
  let r = id - Math.floor(id * inverse) * divisor;
  if (r < 0) r += divisor;
  else if (r >= divisor) r -= divisor;
  return 1 + r;
}
