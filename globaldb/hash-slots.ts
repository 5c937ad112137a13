import { idHalves, invalidNumberId, splitId } from './id-codec.js';
import type { SlotView } from './slot-lookup.js';
import type { Id } from './table.js';

/**
 * The open-addressing slot array behind set, map and kv tables.
 *
 * One Uint32Array of `capacity + 3` slots of `stride` words: `[lo, hi]` (the
 * id's halves) for a set, `[lo, hi, payload]` for a map (the value) or kv (an
 * entry number):
 *
 *   [0, capacity)        probed slots; both halves 0 means empty
 *   capacity, +1         copies of slots 0 and 1, so a probe can read three
 *                        slots from any position without a wrap-around branch
 *   capacity + 2         id 0's slot (id 0 looks like "empty", so it cannot be
 *                        probed for); used when the image's meta.hasZero is 1
 *
 * The payload sits next to its key, so a hit reads one cache line and one
 * page, not one in a key array and one in a parallel payload array: at 10M
 * entries, where every lookup misses the TLB too, that was measured 1.2–1.5×
 * faster per get, and at 1M as fast (bench/globaldb.ts).
 *
 * Linear probing in Robin Hood order: along a probe run, no resident sits
 * closer to its home than the searcher is to its own unless the searcher is
 * absent. That lets a miss stop early, which is what makes a load factor near
 * 0.8 affordable: plain linear probing would scan ~13 slots per miss there.
 */

/**
 * Where an id's probe sequence starts.
 *
 * The halves are folded (hi pre-multiplied so ids that differ only in the
 * high word still spread), then one xorshift-multiply round makes the HIGH
 * bits depend on every input bit: the slot is taken from the high bits with Lemire's
 * multiply-shift ("fastrange"), which lets the capacity be any number instead
 * of a power of two — that keeps the load factor near its target at every
 * size, which is most of the memory saving.
 *
 * The product is a double; for capacity < 2^32 its rounding never reaches
 * `capacity`, and builder and readers run this same expression, so every
 * thread agrees on it. Kept small on purpose: V8 only inlines lookups whose
 * whole call tree stays under a bytecode budget.
 */
export function homeSlot(lo: number, hi: number, scale: number): number {
  const h = lo ^ Math.imul(hi, 0x9e3779b1);
  return (Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0) * scale >>> 0;
}

/** `capacity / 2^32`: multiplying a uint32 hash by it gives a slot in [0, capacity). */
export function slotScale(capacity: number): number {
  return capacity / 4294967296;
}

/**
 * Memory against speed: the fewer slots per id, the more ids sit past their
 * home group and cost a mispredicted branch. 1M-entry map gets, measured on
 * the same table: 22.6 M/s at 0.8 (15.0 bytes per entry), 24.4 at 0.77
 * (15.6), 26.2 at 0.75 (16.0). 0.77 keeps a map within 0.35 of a JS Map's
 * bytes (45 per entry at 1M), bench:globaldb's memory target.
 */
export const MAX_LOAD_FACTOR = 0.77;

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

/**
 * Word index (in `slots`) of the slot of id (lo, hi) ≠ 0, or -1.
 *
 * Slots are compared three at a time without branches, and only then is
 * there a branch (found / absent / go on). At load 0.8 the first three slots
 * hold ~70% of the ids (75% at 0.77); a branch per slot would be mispredicted about half
 * the time, and each misprediction stalls the CPU on a cache miss instead of
 * letting it overlap the misses of consecutive lookups. The absence test
 * (an empty slot, or a resident closer to its home than we are to ours) is
 * done once per group, on its last slot; testing fewer slots only makes a
 * miss stop later.
 *
 * A group's low halves are compared first, and only the high half of the
 * slot that matched is read: a hit in the home group (three in four) loads
 * four words instead of six (1M-entry map gets 1.01–1.05× in A/Bs on one
 * table, misses 1.00–1.09×; at 10M, where the read of the high half waits on
 * the compares, bench:globaldb showed ~0.97×). When that high half differs, another id shares
 * the low half — rare, but every empty slot "shares" the low half 0 of an id
 * that is a multiple of 2^32 — and findSlotOneByOne compares whole ids.
 *
 * Written compactly on purpose: V8 inlines a call only while the callee's
 * whole inlined tree stays under a bytecode budget (~770 bytes), and an
 * un-inlined `get(id)` would box every id it is passed. The hash lives in
 * this module too: each inlined call of another module's function costs a
 * check of the import binding per call, and instructions per lookup are
 * what bound how many lookups the CPU keeps in flight.
 */
export function findSlot(slots: Uint32Array, stride: number, capacity: number, scale: number, lo: number, hi: number): number {
  let j = homeSlot(lo, hi, scale);
  for (let distance = 2; ; distance += GROUP) {
    const w = stride * j;
    const lo0 = slots[w]!;
    const lo1 = slots[w + stride]!;
    const lo2 = slots[w + 2 * stride]!;
    // Unary + turns a comparison into 0/1 without a branch (`? 1 : 0` compiles to one).
    const m0 = +(lo0 === lo);
    const m1 = +(lo1 === lo);
    if ((m0 | m1 | +(lo2 === lo)) !== 0) {
      // The first slot whose low half matched: 0 if m0, else 1 if m1, else 2.
      const k = w + stride * ((1 - m0) * (2 - m1));
      return slots[k + 1] === hi ? k : findSlotOneByOne(slots, stride, capacity, scale, lo, hi);
    }
    const hi0 = slots[w + 1]!;
    const hi1 = slots[w + stride + 1]!;
    const hi2 = slots[w + 2 * stride + 1]!;
    // The last resident's distance from its home; it may sit in a copy past the end.
    let d = j + 2 - homeSlot(lo2, hi2, scale);
    d += d < 0 ? capacity : d >= capacity ? -capacity : 0;
    // One branch for both absence tests: a branch per test would be mispredicted on misses.
    if ((+((lo0 | hi0) === 0) | +((lo1 | hi1) === 0) | +((lo2 | hi2) === 0) | +(d < distance)) !== 0) return -1;
    j += GROUP;
    if (j >= capacity) j -= capacity;
  }
}

/** findSlot's answer, probing one slot at a time and comparing whole ids (its rare case). */
function findSlotOneByOne(slots: Uint32Array, stride: number, capacity: number, scale: number, lo: number, hi: number): number {
  let j = homeSlot(lo, hi, scale);
  for (let distance = 0; ; distance++) {
    const w = stride * j;
    const rlo = slots[w]!;
    const rhi = slots[w + 1]!;
    if (rlo === lo && rhi === hi) return w;
    let d = j - homeSlot(rlo, rhi, scale);
    if (d < 0) d += capacity;
    if ((rlo | rhi) === 0 || d < distance) return -1;
    if (++j === capacity) j = 0;
  }
}

/**
 * Word index of the id's slot, or -1. The number path allocates nothing and
 * is written out here, not through id-codec helpers, to stay small enough
 * for V8 to inline the whole lookup into the caller. Callers pass `stride`
 * (v.stride) as a literal where they can: once inlined it is a constant,
 * and the probe's index arithmetic folds (7.1 -> 9.3M map gets/s at 10M
 * entries, measured).
 */
export function lookupId(id: Id, v: SlotView, stride: number): number {
  if (typeof id !== 'number') return lookupOtherId(id, v, stride);
  const lo = id >>> 0;
  // × 2^-32 is exact and much quicker than ÷ 2^32, which is on the path to the first load.
  const hi = (id * 2.3283064365386963e-10) >>> 0;
  if (hi * 4294967296 + lo !== id || id > 9007199254740991) invalidNumberId(id);
  return (lo | hi) === 0 ? v.zeroWord : findSlot(v.slots, stride, v.capacity, v.scale, lo, hi);
}

/** Word index of the slot of the id with halves (lo, hi), or -1. */
export function lookupHalves(lo: number, hi: number, v: SlotView, stride: number): number {
  return (lo | hi) === 0 ? v.zeroWord : findSlot(v.slots, stride, v.capacity, v.scale, lo, hi);
}

/** bigint and string ids. */
function lookupOtherId(id: Id, v: SlotView, stride: number): number {
  splitId(id);
  return lookupHalves(idHalves[0]!, idHalves[1]!, v, stride);
}
