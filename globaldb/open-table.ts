import { SharedGbdtTable } from './gbdt-table.js';
import { SharedKvTable } from './kv-table.js';
import { SharedMapTable } from './map-table.js';
import { SharedSetTable } from './set-table.js';
import type { AnyTable, TableImage, TableKind } from './table.js';
import { SharedWeightsTable } from './weights-table.js';

/** The table type of an image of kind K (AnyTable when K is not known). */
export type TableOf<K extends TableKind> = Extract<AnyTable, { kind: K }>;

/** Wraps an image (possibly posted from another thread) in views; the buffers are shared, never copied. */
export function openTable<K extends TableKind>(image: TableImage & { kind: K }): TableOf<K>;
export function openTable(image: TableImage): AnyTable {
  switch (image.kind) {
    case 'set':
      return new SharedSetTable(image);
    case 'map':
      return new SharedMapTable(image);
    case 'kv':
      return new SharedKvTable(image);
    case 'weights':
      return new SharedWeightsTable(image);
    case 'gbdt':
      return new SharedGbdtTable(image);
    default:
      throw new TypeError(`table "${(image as TableImage).name}": unknown kind "${(image as TableImage).kind}"`);
  }
}
