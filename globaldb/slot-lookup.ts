import { findWord, slotCount, zeroSlotWord } from './hash-slots.js';
import { halvesView, idHalves, invalidNumberId, splitId } from './id-codec.js';
import { homeSlot, slotScale } from './id-hash.js';
import type { Id, IdArray, TableImage } from './table.js';

/**
 * Lookups in a slot array (hash-slots.ts) for set, map and kv tables. The
 * functions take plain values rather than a table, so their inline caches
 * see one shape however many table kinds a thread uses.
 */

export interface SlotView {
  readonly slots: Uint32Array;
  readonly capacity: number;
  readonly scale: number;
  /** Word of id 0's slot, or -1 when the table does not hold id 0. */
  readonly zeroWord: number;
}

export function openSlots(image: TableImage, stride: number): SlotView {
  const buffer = image.buffers.slots;
  const capacity = image.meta.capacity;
  if (
    !(buffer instanceof SharedArrayBuffer) ||
    capacity === undefined ||
    buffer.byteLength !== slotCount(capacity) * stride * 4
  ) {
    throw new TypeError(`table "${image.name}": not a ${image.kind} table image`);
  }
  return {
    slots: new Uint32Array(buffer),
    capacity,
    scale: slotScale(capacity),
    zeroWord: image.meta.hasZero === 1 ? zeroSlotWord(capacity, stride) : -1,
  };
}

/**
 * Word index of the id's slot, or -1. The number path allocates nothing and
 * is written out here, not through id-codec helpers, to stay small enough
 * for V8 to inline the whole lookup into the caller.
 */
export function lookupId(
  id: Id,
  slots: Uint32Array,
  stride: number,
  capacity: number,
  scale: number,
  zeroWord: number,
): number {
  if (typeof id !== 'number') return lookupOtherId(id, slots, stride, capacity, scale, zeroWord);
  const lo = id >>> 0;
  // × 2^-32 is exact and much quicker than ÷ 2^32, which is on the path to the first load.
  const hi = (id * 2.3283064365386963e-10) >>> 0;
  if (hi * 4294967296 + lo !== id || id > 9007199254740991) invalidNumberId(id);
  return (lo | hi) === 0 ? zeroWord : findWord(slots, stride, capacity, scale, lo, hi, homeSlot(lo, hi, scale));
}

/** bigint and string ids. */
function lookupOtherId(
  id: Id,
  slots: Uint32Array,
  stride: number,
  capacity: number,
  scale: number,
  zeroWord: number,
): number {
  splitId(id);
  const lo = idHalves[0]!;
  const hi = idHalves[1]!;
  return (lo | hi) === 0 ? zeroWord : findWord(slots, stride, capacity, scale, lo, hi, homeSlot(lo, hi, scale));
}

/**
 * words[i] = slot word of ids[i], or -1. (Fetching a block of home slots
 * ahead, then searching, was measured: no faster than this plain loop, whose
 * branch-free probe steps already let the CPU overlap the cache misses.)
 */
export function lookupMany(view: SlotView, stride: number, ids: IdArray, words: Int32Array): void {
  const { slots, capacity, scale, zeroWord } = view;
  const n = ids.length;
  if (ids instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const lo = id >>> 0;
      const hi = (id * 2.3283064365386963e-10) >>> 0;
      if (hi * 4294967296 + lo !== id || id > 9007199254740991) invalidNumberId(id);
      words[i] = (lo | hi) === 0 ? zeroWord : findWord(slots, stride, capacity, scale, lo, hi, homeSlot(lo, hi, scale));
    }
    return;
  }
  const halves = halvesView(ids);
  for (let i = 0; i < n; i++) {
    let lo: number;
    let hi: number;
    if (halves !== null) {
      lo = halves[2 * i]!;
      hi = halves[2 * i + 1]!;
    } else {
      splitId(ids[i]!);
      lo = idHalves[0]!;
      hi = idHalves[1]!;
    }
    words[i] = (lo | hi) === 0 ? zeroWord : findWord(slots, stride, capacity, scale, lo, hi, homeSlot(lo, hi, scale));
  }
}

let scratchWords = new Int32Array(1024);

/** A words array for `lookupMany`, reused between calls in a thread. */
export function wordScratch(n: number): Int32Array {
  if (scratchWords.length < n) scratchWords = new Int32Array(Math.max(n, 2 * scratchWords.length));
  return scratchWords;
}

export function hasMany(view: SlotView, stride: number, ids: IdArray, out?: Uint8Array): Uint8Array {
  const n = ids.length;
  const result = out ?? new Uint8Array(n);
  if (result.length < n) throw new RangeError(`out has ${result.length} elements, ids has ${n}`);
  const words = wordScratch(n);
  lookupMany(view, stride, ids, words);
  for (let i = 0; i < n; i++) result[i] = words[i]! >= 0 ? 1 : 0;
  return result;
}
