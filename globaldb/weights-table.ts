import { allocShared } from './shared-alloc.js';
import { imageBytes } from './table-bytes.js';
import type { TableImage, WeightsTable } from './table.js';

/** An image of a rows × cols float32 matrix held in `buffer` (row-major, host byte order). */
export function weightsImage(name: string, rows: number, cols: number, buffer: SharedArrayBuffer): TableImage {
  return { kind: 'weights', name, size: rows, meta: { rows, cols }, buffers: { data: buffer } };
}

/** Copies a row-major matrix into shared memory. */
export function buildWeightsTable(name: string, rows: number, cols: number, values: ArrayLike<number>): SharedWeightsTable {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`weights "${name}": rows and cols must be non-negative integers`);
  }
  if (values.length !== rows * cols) {
    throw new RangeError(`weights "${name}": ${values.length} values for ${rows} × ${cols}`);
  }
  const buffer = allocShared(rows * cols * 4);
  new Float32Array(buffer).set(values);
  return new SharedWeightsTable(weightsImage(name, rows, cols, buffer));
}

/** Views over a weights image; safe to create in any thread. */
export class SharedWeightsTable implements WeightsTable {
  readonly kind = 'weights' as const;
  // Fields are `declare`d and assigned once in the constructor: an emitted
  // class field would first hold undefined, and V8 would then type them as
  // "any value" and re-check them on every lookup (measured ~10% slower).
  declare readonly name: string;
  declare readonly size: number;
  declare readonly bytes: number;
  declare readonly image: TableImage;
  declare readonly rows: number;
  declare readonly cols: number;
  declare readonly data: Float32Array;

  constructor(image: TableImage) {
    if (image.kind !== 'weights') throw new TypeError(`table "${image.name}" is a ${image.kind}, not weights`);
    const { rows, cols } = image.meta;
    const buffer = image.buffers.data;
    if (rows === undefined || cols === undefined || buffer === undefined || buffer.byteLength !== rows * cols * 4) {
      throw new TypeError(`table "${image.name}": not a weights table image`);
    }
    this.image = image;
    this.name = image.name;
    this.size = rows;
    this.rows = rows;
    this.cols = cols;
    this.bytes = imageBytes(image);
    this.data = new Float32Array(buffer);
  }

  /** Row i as a view into shared memory (do not write to it). */
  row(i: number): Float32Array {
    if (!(i >= 0 && i < this.rows && Number.isInteger(i))) {
      throw new RangeError(`weights "${this.name}": row ${i} out of range 0..${this.rows - 1}`);
    }
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }
}
