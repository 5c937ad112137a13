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
