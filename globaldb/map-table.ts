import { halvesView } from './id-codec.js';
import { lookupHalves, lookupId } from './hash-slots.js';
import { hasMany, openSlots, type SlotView } from './slot-lookup.js';
import { imageBytes } from './table-bytes.js';
import type { Id, IdArray, MapTable, TableImage } from './table.js';

/**
 * Views over a map image; safe to create in any thread.
 * Image: buffers.slots ([lo, hi, value] slots, see hash-slots.ts);
 * meta.capacity, meta.hasZero.
 */
export class SharedMapTable implements MapTable {
  readonly kind = 'map' as const;
  // Fields are `declare`d and assigned once in the constructor: an emitted
  // class field would first hold undefined, and V8 would then type them as
  // "any value" and re-check them on every lookup.
  declare readonly name: string;
  declare readonly size: number;
  declare readonly bytes: number;
  declare readonly image: TableImage;
  private declare readonly view: SlotView;

  constructor(image: TableImage) {
    if (image.kind !== 'map') throw new TypeError(`table "${image.name}" is a ${image.kind}, not a map`);
    this.image = image;
    this.name = image.name;
    this.size = image.size;
    this.bytes = imageBytes(image);
    this.view = openSlots(image, 3);
  }

  // The 3s are words per slot, as literals so the inlined probe's index arithmetic folds (see lookupId).
  get(id: Id): number | undefined {
    const v = this.view;
    const w = lookupId(id, v, 3);
    return w < 0 ? undefined : v.slots[w + 2];
  }

  has(id: Id): boolean {
    return lookupId(id, this.view, 3) >= 0;
  }

  hasMany(ids: IdArray, out?: Uint8Array): Uint8Array {
    return hasMany(this.view, ids, out);
  }

  getMany(ids: IdArray, out?: Uint32Array, missing = 0): Uint32Array {
    const n = ids.length;
    const result = out ?? new Uint32Array(n);
    if (result.length < n) throw new RangeError(`out has ${result.length} elements, ids has ${n}`);
    const halves = ids instanceof Float64Array ? null : halvesView(ids);
    // One loop per id type, each with a single lookup call site: V8's inlining budget covers one, not two.
    if (ids instanceof Float64Array) getNumbers(this.view, ids, result, missing);
    else if (halves !== null) getHalves(this.view, halves, result, missing);
    else for (let i = 0; i < n; i++) result[i] = this.get(ids[i]!) ?? missing;
    return result;
  }
}

function getNumbers(v: SlotView, ids: Float64Array, out: Uint32Array, missing: number): void {
  const slots = v.slots;
  for (let i = 0; i < ids.length; i++) {
    const w = lookupId(ids[i]!, v, 3);
    out[i] = w < 0 ? missing : slots[w + 2]!;
  }
}

function getHalves(v: SlotView, halves: Uint32Array, out: Uint32Array, missing: number): void {
  const slots = v.slots;
  for (let i = 0; i < halves.length; i += 2) {
    const w = lookupHalves(halves[i]!, halves[i + 1]!, v, 3);
    out[i >> 1] = w < 0 ? missing : slots[w + 2]!;
  }
}
