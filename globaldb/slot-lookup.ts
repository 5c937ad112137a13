import { findSlot, slotCount, zeroSlot } from './hash-slots.js';
import { halvesView, idHalves, invalidNumberId, splitId } from './id-codec.js';
import { slotScale } from './id-hash.js';
import type { Id, IdArray, TableImage } from './table.js';

/**
 * Lookups in slot arrays (hash-slots.ts) for set, map and kv tables. The
 * functions take plain values rather than a table, so their inline caches
 * see one shape however many table kinds a thread uses.
 */

export interface SlotView {
  readonly keys: Uint32Array;
  /** The payload array (map values, kv entry numbers); a set's keys stand in (stride 2). */
  readonly payloads: Uint32Array;
  readonly payloadStride: number;
  readonly capacity: number;
  readonly scale: number;
  /** Index of id 0's slot, or -1 when the table does not hold id 0. */
  readonly zeroSlot: number;
}

/** Views over an image's `keys` buffer and, when named, its payload buffer. */
export function openSlots(image: TableImage, payloadBuffer: string | null): SlotView {
  const keys = image.buffers.keys;
  const payloads = payloadBuffer === null ? keys : image.buffers[payloadBuffer];
  const capacity = image.meta.capacity;
  if (
    !(keys instanceof SharedArrayBuffer) ||
    !(payloads instanceof SharedArrayBuffer) ||
    capacity === undefined ||
    keys.byteLength !== slotCount(capacity) * 8 ||
    (payloadBuffer !== null && payloads.byteLength !== slotCount(capacity) * 4)
  ) {
    throw new TypeError(`table "${image.name}": not a ${image.kind} table image`);
  }
  return {
    keys: new Uint32Array(keys),
    payloads: new Uint32Array(payloads),
    payloadStride: payloadBuffer === null ? 2 : 1,
    capacity,
    scale: slotScale(capacity),
    zeroSlot: image.meta.hasZero === 1 ? zeroSlot(capacity) : -1,
  };
}

/**
 * Slot index of the id, or -1. The number path allocates nothing and is
 * written out here, not through id-codec helpers, to stay small enough for
 * V8 to inline the whole lookup into the caller.
 */
export function lookupId(id: Id, v: SlotView): number {
  if (typeof id !== 'number') return lookupOtherId(id, v);
  const lo = id >>> 0;
  // × 2^-32 is exact and much quicker than ÷ 2^32, which is on the path to the first load.
  const hi = (id * 2.3283064365386963e-10) >>> 0;
  if (hi * 4294967296 + lo !== id || id > 9007199254740991) invalidNumberId(id);
  return (lo | hi) === 0 ? v.zeroSlot : findSlot(v.keys, v.payloads, v.payloadStride, v.capacity, v.scale, lo, hi);
}

/** Slot index of the id with halves (lo, hi), or -1. */
export function lookupHalves(lo: number, hi: number, v: SlotView): number {
  return (lo | hi) === 0 ? v.zeroSlot : findSlot(v.keys, v.payloads, v.payloadStride, v.capacity, v.scale, lo, hi);
}

/** bigint and string ids. */
function lookupOtherId(id: Id, v: SlotView): number {
  splitId(id);
  return lookupHalves(idHalves[0]!, idHalves[1]!, v);
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
  else for (let i = 0; i < n; i++) result[i] = lookupId(ids[i]!, v) >= 0 ? 1 : 0;
  return result;
}

function hasNumbers(v: SlotView, ids: Float64Array, out: Uint8Array): void {
  for (let i = 0; i < ids.length; i++) out[i] = lookupId(ids[i]!, v) >= 0 ? 1 : 0;
}

function hasHalves(v: SlotView, halves: Uint32Array, out: Uint8Array): void {
  for (let i = 0; i < halves.length; i += 2) out[i >> 1] = lookupHalves(halves[i]!, halves[i + 1]!, v) >= 0 ? 1 : 0;
}
