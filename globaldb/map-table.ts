import { halvesView } from './id-codec.js';
import { hasMany, lookupHalves, lookupId, openSlots, type SlotView } from './slot-lookup.js';
import { imageBytes } from './table-bytes.js';
import type { Id, IdArray, MapTable, TableImage } from './table.js';

/** Slot stride of a map: [lo, hi, value], the value next to its key so a hit touches one cache line. */
export const MAP_STRIDE = 3;

/** Views over a map image; safe to create in any thread. */
export class SharedMapTable implements MapTable {
  readonly kind = 'map' as const;
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
    if (image.kind !== 'map') throw new TypeError(`table "${image.name}" is a ${image.kind}, not a map`);
    this.image = image;
    this.name = image.name;
    this.size = image.size;
    this.bytes = imageBytes(image);
    this.view = openSlots(image, MAP_STRIDE);
    this.slots = this.view.slots;
    this.capacity = this.view.capacity;
    this.scale = this.view.scale;
    this.zeroWord = this.view.zeroWord;
  }

  get(id: Id): number | undefined {
    const w = lookupId(id, this.slots, MAP_STRIDE, this.capacity, this.scale, this.zeroWord);
    return w < 0 ? undefined : this.slots[w + 2];
  }

  has(id: Id): boolean {
    return lookupId(id, this.slots, MAP_STRIDE, this.capacity, this.scale, this.zeroWord) >= 0;
  }

  hasMany(ids: IdArray, out?: Uint8Array): Uint8Array {
    return hasMany(this.view, MAP_STRIDE, ids, out);
  }

  getMany(ids: IdArray, out?: Uint32Array, missing = 0): Uint32Array {
    const n = ids.length;
    const result = out ?? new Uint32Array(n);
    if (result.length < n) throw new RangeError(`out has ${result.length} elements, ids has ${n}`);
    const halves = ids instanceof Float64Array ? null : halvesView(ids);
    // One loop per id type, each with a single lookup call site: V8's inlining budget covers one, not two.
    if (ids instanceof Float64Array) this.getNumbers(ids, result, missing);
    else if (halves !== null) this.getHalves(halves, result, missing);
    else for (let i = 0; i < n; i++) result[i] = this.get(ids[i]!) ?? missing;
    return result;
  }

  private getNumbers(ids: Float64Array, out: Uint32Array, missing: number): void {
    const { slots, capacity, scale, zeroWord } = this;
    for (let i = 0; i < ids.length; i++) {
      const w = lookupId(ids[i]!, slots, MAP_STRIDE, capacity, scale, zeroWord);
      out[i] = w < 0 ? missing : slots[w + 2]!;
    }
  }

  private getHalves(halves: Uint32Array, out: Uint32Array, missing: number): void {
    const { slots, capacity, scale, zeroWord } = this;
    for (let i = 0; i < halves.length; i += 2) {
      const w = lookupHalves(halves[i]!, halves[i + 1]!, slots, MAP_STRIDE, capacity, scale, zeroWord);
      out[i >> 1] = w < 0 ? missing : slots[w + 2]!;
    }
  }
}
