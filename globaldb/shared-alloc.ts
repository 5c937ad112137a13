/**
 * Where table builders get shared memory. A dropped SharedArrayBuffer is only
 * freed once every thread has garbage-collected its wrapper, which idle
 * threads may never do; so the buffers of a retired generation come back as
 * spares, and the next load of that table reuses those of the exact size it
 * needs. Steady swaps then allocate nothing.
 */
let spares: SharedArrayBuffer[] = [];

/** Spares for the loads that follow (one loader thread loads one table). */
export function useSpares(buffers: readonly SharedArrayBuffer[]): void {
  spares = [...buffers];
}

/** Zeroed shared memory of `bytes` bytes: a spare of that size, else a new buffer. */
export function allocShared(bytes: number): SharedArrayBuffer {
  const i = spares.findIndex((b) => b.byteLength === bytes);
  if (i < 0) return new SharedArrayBuffer(bytes);
  const [buffer] = spares.splice(i, 1) as [SharedArrayBuffer];
  new Uint8Array(buffer).fill(0);
  return buffer;
}
