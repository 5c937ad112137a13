import { homeSlot } from './hash-slots.js';

/**
 * The log's [lo, hi, payload] triples sorted by home slot, ties kept in
 * arrival order (so the last of a repeated id still comes last), id 0
 * dropped (it has its own slot). A stable LSD radix sort, 12 bits per pass
 * — two passes up to 16M slots — moving whole triples, so the caller then
 * reads them front to back: filling slots in this order writes them
 * sequentially instead of probing at random, and no pass gathers from
 * random places. The home is recomputed in each pass rather than stored:
 * hashing is cheaper than the memory traffic of a fourth word.
 */
export interface SortedEntries {
  words: Uint32Array;
  count: number;
}

const BITS = 12;
const MASK = (1 << BITS) - 1;

export function sortByHome(log: Uint32Array, count: number, capacity: number, scale: number): SortedEntries {
  let from: Uint32Array = log;
  let a: Uint32Array | null = null;
  let b: Uint32Array | null = null;
  const starts = new Uint32Array(1 << BITS);
  let n = count;
  for (let shift = 0; shift === 0 || (capacity - 1) >>> shift !== 0; shift += BITS) {
    // The log itself is never written: passes alternate between two arrays of their own.
    const to: Uint32Array = from === a ? (b ??= new Uint32Array(n * 3)) : (a ??= new Uint32Array(n * 3));
    starts.fill(0);
    for (let w = 0, end = n * 3; w < end; w += 3) {
      const lo = from[w]!;
      const hi = from[w + 1]!;
      if ((lo | hi) !== 0) starts[(homeSlot(lo, hi, scale) >>> shift) & MASK]!++;
    }
    let sum = 0;
    for (let d = 0; d <= MASK; d++) {
      const c = starts[d]!;
      starts[d] = sum;
      sum += c;
    }
    for (let w = 0, end = n * 3; w < end; w += 3) {
      const lo = from[w]!;
      const hi = from[w + 1]!;
      if ((lo | hi) === 0) continue;
      const at = 3 * starts[(homeSlot(lo, hi, scale) >>> shift) & MASK]!++;
      to[at] = lo;
      to[at + 1] = hi;
      to[at + 2] = from[w + 2]!;
    }
    n = sum;
    from = to;
  }
  return { words: from, count: n };
}
