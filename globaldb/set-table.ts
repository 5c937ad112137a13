import { lookupId } from './hash-slots.js';
import { hasMany, openSlots, type SlotView } from './slot-lookup.js';
import { imageBytes } from './table-bytes.js';
import type { Id, IdArray, SetTable, TableImage } from './table.js';

/**
 * Views over a set image; safe to create in any thread.
 * Image: buffers.slots ([lo, hi] slots, see hash-slots.ts); meta.capacity, meta.hasZero.
 */
export class SharedSetTable implements SetTable {
  readonly kind = 'set' as const;
  // Fields are `declare`d and assigned once in the constructor: an emitted
  // class field would first hold undefined, and V8 would then type them as
  // "any value" and re-check them on every lookup.
  declare readonly name: string;
  declare readonly size: number;
  declare readonly bytes: number;
  declare readonly image: TableImage;
  private declare readonly view: SlotView;

  constructor(image: TableImage) {
    if (image.kind !== 'set') throw new TypeError(`table "${image.name}" is a ${image.kind}, not a set`);
    this.image = image;
    this.name = image.name;
    this.size = image.size;
    this.bytes = imageBytes(image);
    this.view = openSlots(image, 2);
  }

  // 2: words per slot, a literal so the inlined probe's index arithmetic folds (see lookupId).
  has(id: Id): boolean {
    return lookupId(id, this.view, 2) >= 0;
  }

  hasMany(ids: IdArray, out?: Uint8Array): Uint8Array {
    return hasMany(this.view, ids, out);
  }
}
