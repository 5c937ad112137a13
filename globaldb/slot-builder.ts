import type { EntryLog } from './entry-log.js';
import { copyHead, insertHalves, slotCapacity, slotCount, zeroSlot } from './hash-slots.js';
import { sortByHome } from './home-order.js';
import { homeSlot, slotScale } from './id-hash.js';
import { allocShared } from './shared-alloc.js';

/** Filled slot arrays (see hash-slots.ts for their layout). */
export interface BuiltSlots {
  keys: Uint32Array;
  /** One per slot, or null for a set. */
  payloads: Uint32Array | null;
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
  const built = emptySlots(log.count, withPayloads);
  const words = log.words;
  const { keys, payloads, capacity } = built;
  const scale = slotScale(capacity);
  let size = 0;

  for (let e = 0; e < log.count; e++) {
    if ((words[3 * e]! | words[3 * e + 1]!) === 0) {
      built.hasZero = true;
      if (payloads !== null) payloads[zeroSlot(capacity)] = words[3 * e + 2]!;
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
      while (j < next && (keys[2 * j] !== lo || keys[2 * j + 1] !== hi)) j++;
      if (j < next) {
        if (payloads !== null) payloads[j] = payload;
        continue;
      }
    } else {
      runHome = home;
      runStart = Math.max(home, next);
    }
    const at = Math.max(home, next);
    if (at >= capacity) break;
    keys[2 * at] = lo;
    keys[2 * at + 1] = hi;
    if (payloads !== null) payloads[at] = payload;
    next = at + 1;
    size++;
  }
  for (; i < sorted.count; i++) {
    if (insertHalves(keys, payloads, capacity, scale, byHome[3 * i]!, byHome[3 * i + 1]!, byHome[3 * i + 2]!)) size++;
  }
  built.size = size;
  if (slotCapacity(size) < capacity * 0.9) return rebuildSlots(built);
  copyHead(keys, payloads, capacity);
  return built;
}

function emptySlots(entries: number, withPayloads: boolean): BuiltSlots {
  const capacity = slotCapacity(entries);
  return {
    keys: new Uint32Array(allocShared(slotCount(capacity) * 8)),
    payloads: withPayloads ? new Uint32Array(allocShared(slotCount(capacity) * 4)) : null,
    capacity,
    hasZero: false,
    size: 0,
  };
}

function rebuildSlots(from: BuiltSlots): BuiltSlots {
  const to = emptySlots(from.size, from.payloads !== null);
  const scale = slotScale(to.capacity);
  for (let j = 0; j < from.capacity; j++) {
    const lo = from.keys[2 * j]!;
    const hi = from.keys[2 * j + 1]!;
    if ((lo | hi) !== 0) insertHalves(to.keys, to.payloads, to.capacity, scale, lo, hi, from.payloads?.[j] ?? 0);
  }
  to.hasZero = from.hasZero;
  if (to.payloads !== null) to.payloads[zeroSlot(to.capacity)] = from.payloads![zeroSlot(from.capacity)]!;
  to.size = from.size;
  copyHead(to.keys, to.payloads, to.capacity);
  return to;
}
