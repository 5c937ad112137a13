import { allocShared } from './shared-alloc.js';
import type { EntryLog } from './entry-log.js';
import { copyHead, insertHalves, slotCapacity, slotCount, zeroSlotWord } from './hash-slots.js';
import { sortByHome } from './home-order.js';
import { homeSlot, slotScale } from './id-hash.js';

/** A filled slot array (see hash-slots.ts for its layout). */
export interface BuiltSlots {
  slots: Uint32Array;
  capacity: number;
  hasZero: boolean;
  /** Distinct ids. */
  size: number;
}

/**
 * Fills a shared slot array from the log; for a repeated id the last entry's
 * payload wins. Entries are placed in home order (home-order.ts): each at its
 * home or just after the previous one, which is exactly the Robin Hood
 * layout, written sequentially. The few that run past the end wrap around
 * through the ordinary insert. The array is sized for the number of entries;
 * when duplicates leave it much emptier than the target load, the distinct
 * ids are moved into a right-sized one.
 */
export function buildSlots(log: EntryLog, stride: 2 | 3): BuiltSlots {
  const built = emptySlots(log.count, stride);
  const words = log.words;
  const { slots, capacity } = built;
  const scale = slotScale(capacity);
  let size = 0;

  const zeroWord = zeroSlotWord(capacity, stride);
  for (let e = 0; e < log.count; e++) {
    if ((words[3 * e]! | words[3 * e + 1]!) === 0) {
      built.hasZero = true;
      if (stride === 3) slots[zeroWord + 2] = words[3 * e + 2]!;
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
      let w = runStart * stride;
      const end = next * stride;
      while (w < end && (slots[w] !== lo || slots[w + 1] !== hi)) w += stride;
      if (w < end) {
        if (stride === 3) slots[w + 2] = payload;
        continue;
      }
    } else {
      runHome = home;
      runStart = Math.max(home, next);
    }
    const at = Math.max(home, next);
    if (at >= capacity) break;
    const w = at * stride;
    slots[w] = lo;
    slots[w + 1] = hi;
    if (stride === 3) slots[w + 2] = payload;
    next = at + 1;
    size++;
  }
  for (; i < sorted.count; i++) {
    if (insertHalves(slots, stride, capacity, scale, byHome[3 * i]!, byHome[3 * i + 1]!, byHome[3 * i + 2]!)) size++;
  }
  built.size = size;
  if (slotCapacity(size) < capacity * 0.9) return rebuildSlots(built, stride);
  copyHead(slots, stride, capacity);
  return built;
}

function emptySlots(entries: number, stride: number): BuiltSlots {
  const capacity = slotCapacity(entries);
  const slots = new Uint32Array(allocShared(slotCount(capacity) * stride * 4));
  return { slots, capacity, hasZero: false, size: 0 };
}

function rebuildSlots(from: BuiltSlots, stride: 2 | 3): BuiltSlots {
  const to = emptySlots(from.size, stride);
  const scale = slotScale(to.capacity);
  const src = from.slots;
  for (let w = 0, end = from.capacity * stride; w < end; w += stride) {
    const lo = src[w]!;
    const hi = src[w + 1]!;
    if ((lo | hi) !== 0) insertHalves(to.slots, stride, to.capacity, scale, lo, hi, stride === 3 ? src[w + 2]! : 0);
  }
  if (from.hasZero) {
    to.hasZero = true;
    if (stride === 3) to.slots[zeroSlotWord(to.capacity, stride) + 2] = src[zeroSlotWord(from.capacity, stride) + 2]!;
  }
  to.size = from.size;
  copyHead(to.slots, stride, to.capacity);
  return to;
}
