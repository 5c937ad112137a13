import type { TableImage } from './table.js';

/** Shared memory held by an image: the `bytes` every table reports. */
export function imageBytes(image: TableImage): number {
  let bytes = 0;
  for (const b of Object.values(image.buffers)) bytes += b.byteLength;
  return bytes;
}
