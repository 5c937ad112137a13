import type { EntryLog } from './entry-log.js';
import { homeSlot, slotCapacity, slotCount, slotScale, zeroSlot } from './hash-slots.js';
import { sortByHome } from './home-order.js';
import { allocShared } from './shared-alloc.js';

/** A filled slot array (see hash-slots.ts for its layout). */
export interface BuiltSlots {
  slots: Uint32Array;
  /** Words per slot: 2 for a set, 3 with payloads. */
  stride: 2 | 3;
  capacity: number;
  hasZero: boolean;
  /** Distinct ids. */
  size: number;
}

/**
 * Fills shared slot arrays from the log; for a repeated id the last entry's
 * payload wins. Entries are placed in home order (home-order.ts): each at its
 * home or just after the previous one, which is exactly the Robin Hood
 * layout, written sequentially. The few that run past the end wrap around
 * through the ordinary insert. The arrays are sized for the number of
 * entries; when duplicates leave them much emptier than the target load, the
 * distinct ids are moved into right-sized ones.
 */
export function buildSlots(log: EntryLog, withPayloads: boolean): BuiltSlots {
  const built = emptySlots(log.count, withPayloads ? 3 : 2);
  const words = log.words;
  const { slots, stride, capacity } = built;
  const scale = slotScale(capacity);
  let size = 0;

  for (let e = 0; e < log.count; e++) {
    if ((words[3 * e]! | words[3 * e + 1]!) === 0) {
      built.hasZero = true;
      writeSlot(slots, stride, stride * zeroSlot(capacity), 0, 0, words[3 * e + 2]!);
    }
  }
  if (built.hasZero) size++;

  const sorted = sortByHome(words, log.count, capacity, scale);
  const byHome = sorted.words;
  let next = 0; // first free slot
  let runHome = -1; // home of the ids placed last, from slot runStart on
  let runStart = 0;
  let i = 0;
  for (; i < sorted.count; i++) {
    const lo = byHome[3 * i]!;
    const hi = byHome[3 * i + 1]!;
    const payload = byHome[3 * i + 2]!;
    const home = homeSlot(lo, hi, scale);
    if (home === runHome) {
      // A repeat of an id has the same home: look among this run only.
      let j = runStart;
      while (j < next && (slots[stride * j] !== lo || slots[stride * j + 1] !== hi)) j++;
      if (j < next) {
        writeSlot(slots, stride, stride * j, lo, hi, payload);
        continue;
      }
    } else {
      runHome = home;
      runStart = Math.max(home, next);
    }
    const at = Math.max(home, next);
    if (at >= capacity) break;
    writeSlot(slots, stride, stride * at, lo, hi, payload);
    next = at + 1;
    size++;
  }
  for (; i < sorted.count; i++) {
    if (insertHalves(slots, stride, capacity, scale, byHome[3 * i]!, byHome[3 * i + 1]!, byHome[3 * i + 2]!)) size++;
  }
  built.size = size;
  if (slotCapacity(size) < capacity * 0.9) return rebuildSlots(built);
  copyHead(slots, stride, capacity);
  return built;
}

function emptySlots(entries: number, stride: 2 | 3): BuiltSlots {
  const capacity = slotCapacity(entries);
  return {
    slots: new Uint32Array(allocShared(slotCount(capacity) * stride * 4)),
    stride,
    capacity,
    hasZero: false,
    size: 0,
  };
}

function rebuildSlots(from: BuiltSlots): BuiltSlots {
  const { stride } = from;
  const to = emptySlots(from.size, stride);
  const scale = slotScale(to.capacity);
  const payload = (w: number): number => (stride > 2 ? from.slots[w + 2]! : 0);
  for (let w = 0; w < stride * from.capacity; w += stride) {
    const lo = from.slots[w]!;
    const hi = from.slots[w + 1]!;
    if ((lo | hi) !== 0) insertHalves(to.slots, stride, to.capacity, scale, lo, hi, payload(w));
  }
  to.hasZero = from.hasZero;
  writeSlot(to.slots, stride, stride * zeroSlot(to.capacity), 0, 0, payload(stride * zeroSlot(from.capacity)));
  to.size = from.size;
  copyHead(to.slots, stride, to.capacity);
  return to;
}

/**
 * Puts id (lo, hi) ≠ 0 with `payload` (ignored when stride is 2: no payload)
 * into the probed slots. An id already present keeps its slot and takes the
 * new payload: the last one wins. Returns true when the id was new. Call
 * `copyHead` once all ids are in.
 */
function insertHalves(
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
    const w = stride * j;
    const klo = slots[w]!;
    const khi = slots[w + 1]!;
    if ((klo | khi) === 0) {
      writeSlot(slots, stride, w, lo, hi, payload);
      return true;
    }
    // Only possible before the first swap below: an evicted resident is unique.
    if (klo === lo && khi === hi) {
      if (stride > 2) slots[w + 2] = payload;
      return false;
    }
    let resident = j - homeSlot(klo, khi, scale);
    if (resident < 0) resident += capacity;
    if (resident < distance) {
      // Robin Hood: the id further from home takes the slot; carry the resident on.
      const p = stride > 2 ? slots[w + 2]! : 0;
      writeSlot(slots, stride, w, lo, hi, payload);
      lo = klo;
      hi = khi;
      payload = p;
      distance = resident;
    }
    distance++;
    if (++j === capacity) j = 0;
  }
}

/** Writes a slot at word index w. */
function writeSlot(slots: Uint32Array, stride: number, w: number, lo: number, hi: number, payload: number): void {
  slots[w] = lo;
  slots[w + 1] = hi;
  if (stride > 2) slots[w + 2] = payload;
}

/** Refreshes the copies of slots 0 and 1 past the end; call after any change to them. */
export function copyHead(slots: Uint32Array, stride: number, capacity: number): void {
  slots.copyWithin(stride * capacity, 0, 2 * stride);
}
