/** A seeded generator (mulberry32), so a failing case can be replayed. */
export function random32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Random ids below 2^53, as numbers. */
export function randomSafeIds(n: number, seed: number): Float64Array {
  const next = random32(seed);
  const ids = new Float64Array(n);
  for (let i = 0; i < n; i++) ids[i] = (next() >>> 11) * 2 ** 32 + next();
  return ids;
}

/** Random ids over the whole unsigned 64-bit range. */
export function randomIds(n: number, seed: number): BigUint64Array {
  const next = random32(seed);
  const ids = new BigUint64Array(n);
  for (let i = 0; i < n; i++) ids[i] = (BigInt(next()) << 32n) | BigInt(next());
  return ids;
}
