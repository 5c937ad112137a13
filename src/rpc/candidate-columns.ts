import type { IdArray } from '../../globaldb/table.js';
import { uint64ToBigInt } from './proto-reader.js';

const TWO_POW_32 = 4294967296;
/** `hi` below this means the id is < 2^53 and exact as a float64. */
const HI_EXACT_LIMIT = 0x200000;

/**
 * Growable per-candidate columns: item ids and the offsets of each
 * candidate's features. Ids stay in a Float64Array while every id is below
 * 2^53 (the fast path the tables take) and move to a BigUint64Array at the
 * first id that is not.
 */
export class CandidateColumns {
  count = 0;
  /** featureOffsets[k]..featureOffsets[k+1] are candidate k's features. */
  featureOffsets: Uint32Array;
  private smallIds: Float64Array;
  private bigIds: BigUint64Array | null = null;

  constructor(capacity: number) {
    this.smallIds = new Float64Array(capacity);
    this.featureOffsets = new Uint32Array(capacity + 1);
  }

  /** Adds a candidate whose id is hi·2^32 + lo and whose features end at `featureEnd`. */
  push(lo: number, hi: number, featureEnd: number): void {
    const k = this.count;
    if (k === this.featureOffsets.length - 1) this.grow();
    if (this.bigIds !== null) {
      this.bigIds[k] = hi < HI_EXACT_LIMIT ? BigInt(hi * TWO_POW_32 + lo) : uint64ToBigInt(lo, hi);
    } else if (hi < HI_EXACT_LIMIT) {
      this.smallIds[k] = hi * TWO_POW_32 + lo;
    } else {
      this.switchToBigIds();
      this.bigIds![k] = uint64ToBigInt(lo, hi);
    }
    this.featureOffsets[k + 1] = featureEnd;
    this.count = k + 1;
  }

  itemIds(): IdArray {
    return this.bigIds !== null ? this.bigIds.subarray(0, this.count) : this.smallIds.subarray(0, this.count);
  }

  offsets(): Uint32Array {
    return this.featureOffsets.subarray(0, this.count + 1);
  }

  private switchToBigIds(): void {
    const big = new BigUint64Array(this.smallIds.length);
    for (let i = 0; i < this.count; i++) big[i] = BigInt(this.smallIds[i]!);
    this.bigIds = big;
  }

  private grow(): void {
    const capacity = Math.max(16, (this.featureOffsets.length - 1) * 2);
    const offsets = new Uint32Array(capacity + 1);
    offsets.set(this.featureOffsets);
    this.featureOffsets = offsets;
    if (this.bigIds !== null) {
      const big = new BigUint64Array(capacity);
      big.set(this.bigIds);
      this.bigIds = big;
    } else {
      const small = new Float64Array(capacity);
      small.set(this.smallIds);
      this.smallIds = small;
    }
  }
}
