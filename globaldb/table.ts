/**
 * The seam between global tables and everything that reads them.
 *
 * A table lives in SharedArrayBuffers. Its `TableImage` is a small
 * structured-cloneable description (kind, name, meta numbers and the buffers);
 * posting an image to another thread shares the buffers, it never copies them.
 * `openTable(image)` (globaldb/open-table.ts) wraps an image in typed views in
 * any thread.
 */
import type { GbdtTable } from './gbdt-table.js';

export type TableKind = 'set' | 'map' | 'kv' | 'weights' | 'gbdt';

/** An id as users give it: number (< 2^53, the fast path), bigint or decimal string. */
export type Id = number | bigint | string;

/** A batch of ids for hot loops: Float64Array for ids < 2^53, BigUint64Array for the full range. */
export type IdArray = Float64Array | BigUint64Array;

export interface TableImage {
  kind: TableKind;
  name: string;
  /** Entries (rows for `weights`). */
  size: number;
  /** Kind-specific numbers: capacity, rows, cols… */
  meta: Record<string, number>;
  buffers: Record<string, SharedArrayBuffer>;
}

export interface GlobalTable {
  readonly kind: TableKind;
  readonly name: string;
  readonly size: number;
  /** Bytes of shared memory held by the table. */
  readonly bytes: number;
  readonly image: TableImage;
}

export interface SetTable extends GlobalTable {
  readonly kind: 'set';
  has(id: Id): boolean;
  /** out[i] = 1 when ids[i] is in the set, else 0. */
  hasMany(ids: IdArray, out?: Uint8Array): Uint8Array;
}

export interface MapTable extends GlobalTable {
  readonly kind: 'map';
  get(id: Id): number | undefined;
  has(id: Id): boolean;
  hasMany(ids: IdArray, out?: Uint8Array): Uint8Array;
  /** out[i] = value of ids[i], or `missing` (default 0) on a miss; use hasMany to tell 0 from a miss. */
  getMany(ids: IdArray, out?: Uint32Array, missing?: number): Uint32Array;
}

export interface KvTable extends GlobalTable {
  readonly kind: 'kv';
  /** A view into shared memory (do not write to it), or undefined on a miss. */
  get(id: Id): Uint8Array | undefined;
  getString(id: Id): string | undefined;
  has(id: Id): boolean;
  hasMany(ids: IdArray, out?: Uint8Array): Uint8Array;
  getMany(ids: IdArray): (Uint8Array | undefined)[];
}

export interface WeightsTable extends GlobalTable {
  readonly kind: 'weights';
  readonly rows: number;
  readonly cols: number;
  /** Row-major rows × cols float32 values. */
  readonly data: Float32Array;
  row(i: number): Float32Array;
}

export type AnyTable = SetTable | MapTable | KvTable | WeightsTable | GbdtTable;

/** What to load: produced by the config loader from global_db_config.ini. */
export interface TableSpec {
  name: string;
  kind: TableKind;
  /** Absolute path of the data file. */
  file: string;
  /** Separator between id and value for map and kv files (one character; default tab). */
  separator: string;
  /** For weights: 'text' or 'binary'; 'auto' decides by the file's magic bytes. */
  format: 'auto' | 'text' | 'binary';
}

export interface LoadProgress {
  table: string;
  lines: number;
  bytes: number;
  totalBytes: number;
}
