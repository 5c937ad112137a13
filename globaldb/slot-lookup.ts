import { findWord, slotCount, zeroSlotWord } from './hash-slots.js';
import { halvesView, idHalves, invalidNumberId, splitId } from './id-codec.js';
import { slotScale } from './id-hash.js';
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
  return (lo | hi) === 0 ? zeroWord : findWord(slots, stride, capacity, scale, lo, hi);
}

/** Word index of the slot of the id with halves (lo, hi), or -1. */
export function lookupHalves(
  lo: number,
  hi: number,
  slots: Uint32Array,
  stride: number,
  capacity: number,
  scale: number,
  zeroWord: number,
): number {
  return (lo | hi) === 0 ? zeroWord : findWord(slots, stride, capacity, scale, lo, hi);
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
  return lookupHalves(idHalves[0]!, idHalves[1]!, slots, stride, capacity, scale, zeroWord);
}

/**
 * out[i] = 1 when ids[i] is in the table, else 0. Batch methods loop over
 * the same inlined per-id lookup: its branch-free probe steps already let the
 * CPU overlap the cache misses of consecutive ids (fetching a block of homes
 * ahead, then searching, was measured no faster). Each id type gets its own
 * loop function, with one lookup call site each, so V8's inlining budget
 * covers it.
 */
export function hasMany(view: SlotView, stride: number, ids: IdArray, out?: Uint8Array): Uint8Array {
  const n = ids.length;
  const result = out ?? new Uint8Array(n);
  if (result.length < n) throw new RangeError(`out has ${result.length} elements, ids has ${n}`);
  const halves = ids instanceof Float64Array ? null : halvesView(ids);
  if (ids instanceof Float64Array) hasNumbers(view, stride, ids, result);
  else if (halves !== null) hasHalves(view, stride, halves, result);
  else for (let i = 0; i < n; i++) result[i] = lookupId(ids[i]!, view.slots, stride, view.capacity, view.scale, view.zeroWord) >= 0 ? 1 : 0;
  return result;
}

function hasNumbers(view: SlotView, stride: number, ids: Float64Array, out: Uint8Array): void {
  const { slots, capacity, scale, zeroWord } = view;
  for (let i = 0; i < ids.length; i++) out[i] = lookupId(ids[i]!, slots, stride, capacity, scale, zeroWord) >= 0 ? 1 : 0;
}

function hasHalves(view: SlotView, stride: number, halves: Uint32Array, out: Uint8Array): void {
  const { slots, capacity, scale, zeroWord } = view;
  for (let i = 0; i < halves.length; i += 2) {
    out[i >> 1] = lookupHalves(halves[i]!, halves[i + 1]!, slots, stride, capacity, scale, zeroWord) >= 0 ? 1 : 0;
  }
}
