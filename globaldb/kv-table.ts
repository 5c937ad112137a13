import { halvesView } from './id-codec.js';
import { lookupHalves, lookupId } from './hash-slots.js';
import { hasMany, openSlots, type SlotView } from './slot-lookup.js';
import { imageBytes } from './table-bytes.js';
import type { Id, IdArray, KvTable, TableImage } from './table.js';

const utf8 = new TextDecoder();

/**
 * Views over a kv image; safe to create in any thread.
 * Image: buffers.slots ([lo, hi, entry number] slots, see hash-slots.ts),
 * buffers.offsets (float64, size + 1: entry k's bytes
 * are values[offsets[k] .. offsets[k + 1]), float64 so the value area is not
 * limited to 4 GiB) and buffers.values (the bytes); meta.capacity, meta.hasZero.
 */
export class SharedKvTable implements KvTable {
  readonly kind = 'kv' as const;
  // Fields are `declare`d and assigned once in the constructor: an emitted
  // class field would first hold undefined, and V8 would then type them as
  // "any value" and re-check them on every lookup.
  declare readonly name: string;
  declare readonly size: number;
  declare readonly bytes: number;
  declare readonly image: TableImage;
  private declare readonly view: SlotView;
  private declare readonly offsets: Float64Array;
  private declare readonly values: Uint8Array;

  constructor(image: TableImage) {
    if (image.kind !== 'kv') throw new TypeError(`table "${image.name}" is a ${image.kind}, not a kv table`);
    const { offsets, values } = image.buffers;
    if (!(offsets instanceof SharedArrayBuffer) || !(values instanceof SharedArrayBuffer) || offsets.byteLength !== (image.size + 1) * 8) {
      throw new TypeError(`table "${image.name}": not a kv table image`);
    }
    this.image = image;
    this.name = image.name;
    this.size = image.size;
    this.bytes = imageBytes(image);
    this.view = openSlots(image, 3);
    this.offsets = new Float64Array(offsets);
    this.values = new Uint8Array(values);
  }

  // The 3s are words per slot, as literals so the inlined probe's index arithmetic folds (see lookupId).
  get(id: Id): Uint8Array | undefined {
    const j = lookupId(id, this.view, 3);
    return j < 0 ? undefined : this.entry(j);
  }

  getString(id: Id): string | undefined {
    const j = lookupId(id, this.view, 3);
    return j < 0 ? undefined : utf8.decode(this.entry(j));
  }

  has(id: Id): boolean {
    return lookupId(id, this.view, 3) >= 0;
  }

  hasMany(ids: IdArray, out?: Uint8Array): Uint8Array {
    return hasMany(this.view, ids, out);
  }

  getMany(ids: IdArray): (Uint8Array | undefined)[] {
    const n = ids.length;
    const result = new Array<Uint8Array | undefined>(n);
    const halves = ids instanceof Float64Array ? null : halvesView(ids);
    for (let i = 0; i < n; i++) {
      const j = halves === null ? lookupId(ids[i]!, this.view, 3) : lookupHalves(halves[2 * i]!, halves[2 * i + 1]!, this.view, 3);
      result[i] = j < 0 ? undefined : this.entry(j);
    }
    return result;
  }

  /** The value of the id whose slot starts at word w, as a view into shared memory. */
  private entry(w: number): Uint8Array {
    const k = this.view.slots[w + 2]!;
    return this.values.subarray(this.offsets[k]!, this.offsets[k + 1]!);
  }
}
