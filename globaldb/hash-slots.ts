import { homeSlot } from './id-hash.js';

/**
 * The open-addressing slot array behind set, map and kv tables.
 *
 * Keys: one Uint32Array of `capacity + 3` slots of two words, `[lo, hi]`:
 *
 *   [0, capacity)        probed slots; both halves 0 means empty
 *   capacity, +1         copies of slots 0 and 1, so a probe can read three
 *                        slots from any position without a wrap-around branch
 *   capacity + 2         id 0's slot (id 0 looks like "empty", so it cannot be
 *                        probed for); used when the image's meta.hasZero is 1
 *
 * Maps and kv tables add a parallel Uint32Array of payloads (the value, or
 * an entry number), one per slot, extra slots included. Keys alone make the
 * probed array a third smaller than interleaved [lo, hi, value] slots, so a
 * probe step spans fewer cache lines; the payload's line is requested at the
 * same time as the keys' (see findSlot), so a hit still waits for one miss.
 *
 * Linear probing in Robin Hood order: along a probe run, no resident sits
 * closer to its home than the searcher is to its own unless the searcher is
 * absent. That lets a miss stop early, which is what makes a load factor of
 * 0.8 affordable: plain linear probing would scan ~13 slots per miss there.
 */

export const MAX_LOAD_FACTOR = 0.8;

/** Slots read per probe step. */
const GROUP = 3;

/** Probed slots for `entries` ids: at least one is always empty, so every probe run ends. */
export function slotCapacity(entries: number): number {
  return Math.max(4, Math.ceil(entries / MAX_LOAD_FACTOR), entries + 1);
}

/** Slots to allocate for a capacity (see the layout above). */
export function slotCount(capacity: number): number {
  return capacity + GROUP;
}

/** Index of id 0's slot. */
export function zeroSlot(capacity: number): number {
  return capacity + 2;
}

/** Where findSlot's early payload reads go, so the compiler cannot drop them. */
const touched = new Uint32Array(1);

/**
 * Slot index of id (lo, hi) ≠ 0, or -1.
 *
 * `payloads[home * payloadStride]` is read first, unconditionally: the load
 * of the payload's cache line then overlaps that of the keys (a set passes
 * its keys with stride 2 — a line being loaded anyway).
 *
 * Slots are compared three at a time without branches, and only then is
 * there a branch (found / absent / go on). At load 0.8 the first three slots
 * hold ~70% of the ids; a branch per slot would be mispredicted about half
 * the time, and each misprediction stalls the CPU on a cache miss instead of
 * letting it overlap the misses of consecutive lookups. The absence test
 * (an empty slot, or a resident closer to its home than we are to ours) is
 * done once per group, on its last slot; testing fewer slots only makes a
 * miss stop later.
 *
 * Written compactly on purpose: V8 inlines a call only while the callee's
 * whole inlined tree stays under a bytecode budget (~770 bytes), and an
 * un-inlined `get(id)` would box every id it is passed.
 */
export function findSlot(
  keys: Uint32Array,
  payloads: Uint32Array,
  payloadStride: number,
  capacity: number,
  scale: number,
  lo: number,
  hi: number,
): number {
  let j = homeSlot(lo, hi, scale);
  touched[0] = payloads[j * payloadStride]!;
  for (let distance = 2; ; distance += GROUP) {
    const w = 2 * j;
    const lo0 = keys[w]!;
    const hi0 = keys[w + 1]!;
    const lo1 = keys[w + 2]!;
    const hi1 = keys[w + 3]!;
    const lo2 = keys[w + 4]!;
    const hi2 = keys[w + 5]!;
    // Unary + turns a comparison into 0/1 without a branch (`? 1 : 0` compiles to one).
    const m1 = +(((lo1 ^ lo) | (hi1 ^ hi)) === 0);
    const m2 = +(((lo2 ^ lo) | (hi2 ^ hi)) === 0);
    if ((+(((lo0 ^ lo) | (hi0 ^ hi)) === 0) | m1 | m2) !== 0) return j + m1 + 2 * m2;
    // The last resident's distance from its home; it may sit in a copy past the end.
    let d = j + 2 - homeSlot(lo2, hi2, scale);
    d += d < 0 ? capacity : d >= capacity ? -capacity : 0;
    // One branch for both absence tests: a branch per test would be mispredicted on misses.
    if ((+((lo0 | hi0) === 0) | +((lo1 | hi1) === 0) | +((lo2 | hi2) === 0) | +(d < distance)) !== 0) return -1;
    j += GROUP;
    if (j >= capacity) j -= capacity;
  }
}

/**
 * Puts id (lo, hi) ≠ 0 with `payload` (when there is a payload array) into
 * the probed slots. An id already present keeps its slot and takes the new
 * payload: the last one wins. Returns true when the id was new. Call
 * `copyHead` once all ids are in.
 */
export function insertHalves(
  keys: Uint32Array,
  payloads: Uint32Array | null,
  capacity: number,
  scale: number,
  lo: number,
  hi: number,
  payload: number,
): boolean {
  let j = homeSlot(lo, hi, scale);
  let distance = 0;
  for (;;) {
    const klo = keys[2 * j]!;
    const khi = keys[2 * j + 1]!;
    if ((klo | khi) === 0) {
      keys[2 * j] = lo;
      keys[2 * j + 1] = hi;
      if (payloads !== null) payloads[j] = payload;
      return true;
    }
    // Only possible before the first swap below: an evicted resident is unique.
    if (klo === lo && khi === hi) {
      if (payloads !== null) payloads[j] = payload;
      return false;
    }
    let resident = j - homeSlot(klo, khi, scale);
    if (resident < 0) resident += capacity;
    if (resident < distance) {
      // Robin Hood: the id further from home takes the slot; carry the resident on.
      keys[2 * j] = lo;
      keys[2 * j + 1] = hi;
      lo = klo;
      hi = khi;
      if (payloads !== null) {
        const p = payloads[j]!;
        payloads[j] = payload;
        payload = p;
      }
      distance = resident;
    }
    distance++;
    if (++j === capacity) j = 0;
  }
}

/** Refreshes the copies of slots 0 and 1 past the end; call after any change to them. */
export function copyHead(keys: Uint32Array, payloads: Uint32Array | null, capacity: number): void {
  keys.copyWithin(2 * capacity, 0, 4);
  payloads?.copyWithin(capacity, 0, 2);
}
