/** Keys as works have them: numbers (< 2^53), bigints (full 64-bit ids) or strings. */
export type RemoteKey = number | bigint | string;

/** The text a key is stored under: 42, 42n and "42" are the same key. */
export function keyText(key: RemoteKey): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'bigint') return key.toString();
  if (typeof key === 'number' && Number.isFinite(key)) return String(key);
  throw new TypeError(`a remote key must be a finite number, a bigint or a string, not ${String(key)}`);
}

const SPLIT = 1e8;

/**
 * String(n) for a finite number, faster for integers from 1e8 to 2^53: V8
 * formats those as doubles (~100 ns each), while two halves below 2^30 take
 * its small-integer path; item ids are mostly that large.
 */
function numberText(n: number): string {
  if (n < SPLIT || n > Number.MAX_SAFE_INTEGER || Math.floor(n) !== n) return '' + n;
  let high = Math.floor(n / SPLIT);
  let low = n - high * SPLIT;
  // The division may round up to the next integer: then low is negative.
  if (low < 0) {
    high--;
    low += SPLIT;
  }
  return high + ('' + (SPLIT + low)).slice(1);
}

/** The stored names of `keys`: each key's text after `prefix`. */
export function storedKeys(keys: readonly RemoteKey[], prefix: string): string[] {
  const texts = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // Finite numbers (the common case: item ids) skip keyText's checks.
    texts[i] = typeof key === 'number' && key - key === 0 ? prefix + numberText(key) : prefix + keyText(key);
  }
  return texts;
}
