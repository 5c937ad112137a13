import { allocShared } from './shared-alloc.js';
import type { EntryLog } from './entry-log.js';
import { copyHead, insertHalves, slotCapacity, slotCount, zeroSlotWord } from './hash-slots.js';
import { slotScale } from './id-hash.js';

/** A filled slot array (see hash-slots.ts for its layout). */
export interface BuiltSlots {
  slots: Uint32Array;
  capacity: number;
  hasZero: boolean;
  /** Distinct ids. */
  size: number;
}

/**
 * Fills a shared slot array from the log, in order, so for a repeated id the
 * last entry's payload wins. The array is sized for the number of entries;
 * when duplicates leave it much emptier than the target load, the distinct
 * ids are moved into a right-sized one.
 */
export function buildSlots(log: EntryLog, stride: 2 | 3): BuiltSlots {
  const built = emptySlots(log.count, stride);
  const words = log.words;
  const { slots, capacity } = built;
  const scale = slotScale(capacity);
  const zeroWord = zeroSlotWord(capacity, stride);
  let size = 0;
  for (let i = 0, end = log.count * 3; i < end; i += 3) {
    const lo = words[i]!;
    const hi = words[i + 1]!;
    const payload = words[i + 2]!;
    if ((lo | hi) === 0) {
      if (!built.hasZero) size++;
      built.hasZero = true;
      if (stride === 3) slots[zeroWord + 2] = payload;
    } else if (insertHalves(slots, stride, capacity, scale, lo, hi, payload)) {
      size++;
    }
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
