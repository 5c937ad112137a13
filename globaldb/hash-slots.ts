import { homeSlot } from './id-hash.js';

/**
 * The open-addressing slot array behind set, map and kv tables.
 *
 * One Uint32Array of `capacity + 3` slots, `stride` words each: `[lo, hi]`
 * for sets, `[lo, hi, payload]` for maps and kv.
 *
 *   [0, capacity)        probed slots; both halves 0 means empty
 *   capacity, +1         copies of slots 0 and 1, so a probe can read three
 *                        slots from any position without a wrap-around branch
 *   capacity + 2         id 0's slot (id 0 looks like "empty", so it cannot be
 *                        probed for); used when the image's meta.hasZero is 1
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

/** Word index of id 0's slot. */
export function zeroSlotWord(capacity: number, stride: number): number {
  return (capacity + 2) * stride;
}

/**
 * Word index of the slot holding id (lo, hi) ≠ 0, or -1.
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
export function findWord(slots: Uint32Array, stride: number, capacity: number, scale: number, lo: number, hi: number): number {
  let j = homeSlot(lo, hi, scale);
  for (let distance = 2; ; distance += GROUP) {
    const w = j * stride;
    const lo0 = slots[w]!;
    const hi0 = slots[w + 1]!;
    const lo1 = slots[w + stride]!;
    const hi1 = slots[w + stride + 1]!;
    const lo2 = slots[w + 2 * stride]!;
    const hi2 = slots[w + 2 * stride + 1]!;
    // Unary + turns a comparison into 0/1 without a branch (`? 1 : 0` compiles to one).
    const m1 = +(((lo1 ^ lo) | (hi1 ^ hi)) === 0);
    const m2 = +(((lo2 ^ lo) | (hi2 ^ hi)) === 0);
    if ((+(((lo0 ^ lo) | (hi0 ^ hi)) === 0) | m1 | m2) !== 0) return w + stride * (m1 + 2 * m2);
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
 * Puts id (lo, hi) ≠ 0 with `payload` (ignored when stride is 2) into the
 * probed slots. An id already present keeps its slot and takes the new
 * payload: the last one wins. Returns true when the id was new. Call
 * `copyHead` once all ids are in.
 */
export function insertHalves(
  slots: Uint32Array,
  stride: number,
  capacity: number,
  scale: number,
  lo: number,
  hi: number,
  payload: number,
): boolean {
  let j = homeSlot(lo, hi, scale);
  let distance = 0;
  for (;;) {
    const w = j * stride;
    const klo = slots[w]!;
    const khi = slots[w + 1]!;
    if ((klo | khi) === 0) {
      slots[w] = lo;
      slots[w + 1] = hi;
      if (stride === 3) slots[w + 2] = payload;
      return true;
    }
    // Only possible before the first swap below: an evicted resident is unique.
    if (klo === lo && khi === hi) {
      if (stride === 3) slots[w + 2] = payload;
      return false;
    }
    let resident = j - homeSlot(klo, khi, scale);
    if (resident < 0) resident += capacity;
    if (resident < distance) {
      // Robin Hood: the id further from home takes the slot; carry the resident on.
      slots[w] = lo;
      slots[w + 1] = hi;
      lo = klo;
      hi = khi;
      if (stride === 3) {
        const p = slots[w + 2]!;
        slots[w + 2] = payload;
        payload = p;
      }
      distance = resident;
    }
    distance++;
    if (++j === capacity) j = 0;
  }
}

/** Refreshes the copies of slots 0 and 1 past the end; call after any change to them. */
export function copyHead(slots: Uint32Array, stride: number, capacity: number): void {
  slots.copyWithin(capacity * stride, 0, 2 * stride);
}
