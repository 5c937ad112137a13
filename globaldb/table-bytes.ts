import type { TableImage } from './table.js';

/** Total length of some shared buffers. */
export function buffersBytes(buffers: Iterable<SharedArrayBuffer>): number {
  let bytes = 0;
  for (const b of buffers) bytes += b.byteLength;
  return bytes;
}

/** Shared memory held by an image: the `bytes` every table reports. */
export function imageBytes(image: TableImage): number {
  return buffersBytes(Object.values(image.buffers));
}
