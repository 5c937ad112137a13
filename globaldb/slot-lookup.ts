import { lookupHalves, lookupId, slotCount, slotScale, zeroSlot } from './hash-slots.js';
import { halvesView } from './id-codec.js';
import type { IdArray, TableImage } from './table.js';

/**
 * Views for lookups in slot arrays (hash-slots.ts) of set, map and kv
 * tables. Lookups take a plain view rather than a table, so their inline
 * caches see one shape however many table kinds a thread uses.
 */

export interface SlotView {
  readonly slots: Uint32Array;
  /** Words per slot: 2 ([lo, hi]) for a set, 3 ([lo, hi, payload]) for map and kv. */
  readonly stride: number;
  readonly capacity: number;
  readonly scale: number;
  /** Word index of id 0's slot, or -1 when the table does not hold id 0. */
  readonly zeroWord: number;
}

/** Views over an image's `slots` buffer, of `stride` words per slot. */
export function openSlots(image: TableImage, stride: 2 | 3): SlotView {
  const slots = image.buffers.slots;
  const capacity = image.meta.capacity;
  if (!(slots instanceof SharedArrayBuffer) || capacity === undefined || slots.byteLength !== slotCount(capacity) * stride * 4) {
    throw new TypeError(`table "${image.name}": not a ${image.kind} table image`);
  }
  return {
    slots: new Uint32Array(slots),
    stride,
    capacity,
    scale: slotScale(capacity),
    zeroWord: image.meta.hasZero === 1 ? stride * zeroSlot(capacity) : -1,
  };
}

/**
 * out[i] = 1 when ids[i] is in the table, else 0. Batch methods loop over
 * the same inlined per-id lookup: its branch-free probe steps already let the
 * CPU overlap the cache misses of consecutive ids (fetching a block of homes
 * ahead, then searching, was measured no faster). Each id type gets its own
 * loop function, with one lookup call site each, so V8's inlining budget
 * covers it.
 */
export function hasMany(v: SlotView, ids: IdArray, out?: Uint8Array): Uint8Array {
  const n = ids.length;
  const result = out ?? new Uint8Array(n);
  if (result.length < n) throw new RangeError(`out has ${result.length} elements, ids has ${n}`);
  const halves = ids instanceof Float64Array ? null : halvesView(ids);
  if (ids instanceof Float64Array) hasNumbers(v, ids, result);
  else if (halves !== null) hasHalves(v, halves, result);
  else for (let i = 0; i < n; i++) result[i] = lookupId(ids[i]!, v, v.stride) >= 0 ? 1 : 0;
  return result;
}

function hasNumbers(v: SlotView, ids: Float64Array, out: Uint8Array): void {
  for (let i = 0; i < ids.length; i++) out[i] = lookupId(ids[i]!, v, v.stride) >= 0 ? 1 : 0;
}

function hasHalves(v: SlotView, halves: Uint32Array, out: Uint8Array): void {
  for (let i = 0; i < halves.length; i += 2) out[i >> 1] = lookupHalves(halves[i]!, halves[i + 1]!, v, v.stride) >= 0 ? 1 : 0;
}
