import { hasMany, lookupId, openSlots, type SlotView } from './slot-lookup.js';
import { imageBytes } from './table-bytes.js';
import type { Id, IdArray, SetTable, TableImage } from './table.js';

/** Slot stride of a set: [lo, hi]. */
export const SET_STRIDE = 2;

/** Views over a set image; safe to create in any thread. */
export class SharedSetTable implements SetTable {
  readonly kind = 'set' as const;
  // Fields are `declare`d and assigned once in the constructor: an emitted
  // class field would first hold undefined, and V8 would then type them as
  // "any value" and re-check them on every lookup (measured ~10% slower).
  declare readonly name: string;
  declare readonly size: number;
  declare readonly bytes: number;
  declare readonly image: TableImage;
  private declare readonly view: SlotView;
  // Copies of the view's fields: one load fewer per lookup on the hot path.
  private declare readonly slots: Uint32Array;
  private declare readonly capacity: number;
  private declare readonly scale: number;
  private declare readonly zeroWord: number;

  constructor(image: TableImage) {
    if (image.kind !== 'set') throw new TypeError(`table "${image.name}" is a ${image.kind}, not a set`);
    this.image = image;
    this.name = image.name;
    this.size = image.size;
    this.bytes = imageBytes(image);
    this.view = openSlots(image, SET_STRIDE);
    this.slots = this.view.slots;
    this.capacity = this.view.capacity;
    this.scale = this.view.scale;
    this.zeroWord = this.view.zeroWord;
  }

  has(id: Id): boolean {
    return lookupId(id, this.slots, SET_STRIDE, this.capacity, this.scale, this.zeroWord) >= 0;
  }

  hasMany(ids: IdArray, out?: Uint8Array): Uint8Array {
    return hasMany(this.view, SET_STRIDE, ids, out);
  }
}
