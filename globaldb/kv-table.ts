import { halvesView } from './id-codec.js';
import { hasMany, lookupHalves, lookupId, openSlots, type SlotView } from './slot-lookup.js';
import { imageBytes } from './table-bytes.js';
import type { Id, IdArray, KvTable, TableImage } from './table.js';

/**
 * Slot stride of a kv table: [lo, hi, entry]. Entry k's bytes are
 * values[offsets[k] .. offsets[k + 1]); offsets are float64 so the value
 * area is not limited to 4 GiB.
 */
export const KV_STRIDE = 3;

const utf8 = new TextDecoder();

/** Views over a kv image; safe to create in any thread. */
export class SharedKvTable implements KvTable {
  readonly kind = 'kv' as const;
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
  private declare readonly offsets: Float64Array;
  private declare readonly values: Uint8Array;

  constructor(image: TableImage) {
    if (image.kind !== 'kv') throw new TypeError(`table "${image.name}" is a ${image.kind}, not a kv table`);
    const { offsets, values } = image.buffers;
    if (offsets === undefined || values === undefined || offsets.byteLength !== (image.size + 1) * 8) {
      throw new TypeError(`table "${image.name}": not a kv table image`);
    }
    this.image = image;
    this.name = image.name;
    this.size = image.size;
    this.bytes = imageBytes(image);
    this.view = openSlots(image, KV_STRIDE);
    this.slots = this.view.slots;
    this.capacity = this.view.capacity;
    this.scale = this.view.scale;
    this.zeroWord = this.view.zeroWord;
    this.offsets = new Float64Array(offsets);
    this.values = new Uint8Array(values);
  }

  get(id: Id): Uint8Array | undefined {
    const w = this.word(id);
    return w < 0 ? undefined : this.entry(this.slots[w + 2]!);
  }

  getString(id: Id): string | undefined {
    const w = this.word(id);
    return w < 0 ? undefined : utf8.decode(this.entry(this.slots[w + 2]!));
  }

  has(id: Id): boolean {
    return this.word(id) >= 0;
  }

  hasMany(ids: IdArray, out?: Uint8Array): Uint8Array {
    return hasMany(this.view, KV_STRIDE, ids, out);
  }

  getMany(ids: IdArray): (Uint8Array | undefined)[] {
    const n = ids.length;
    const result = new Array<Uint8Array | undefined>(n);
    const halves = ids instanceof Float64Array ? null : halvesView(ids);
    for (let i = 0; i < n; i++) {
      const w =
        halves === null
          ? this.word(ids[i]!)
          : lookupHalves(halves[2 * i]!, halves[2 * i + 1]!, this.slots, KV_STRIDE, this.capacity, this.scale, this.zeroWord);
      result[i] = w < 0 ? undefined : this.entry(this.slots[w + 2]!);
    }
    return result;
  }

  private word(id: Id): number {
    return lookupId(id, this.slots, KV_STRIDE, this.capacity, this.scale, this.zeroWord);
  }

  private entry(k: number): Uint8Array {
    return this.values.subarray(this.offsets[k]!, this.offsets[k + 1]!);
  }
}
