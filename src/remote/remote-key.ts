/** Keys as works have them: numbers (< 2^53), bigints (full 64-bit ids) or strings. */
export type RemoteKey = number | bigint | string;

/** The text a key is stored under: 42, 42n and "42" are the same key. */
export function keyText(key: RemoteKey): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'bigint') return key.toString();
  if (typeof key === 'number' && Number.isFinite(key)) return String(key);
  throw new TypeError(`a remote key must be a finite number, a bigint or a string, not ${String(key)}`);
}

/** The stored names of `keys`: each key's text after `prefix`. */
export function storedKeys(keys: readonly RemoteKey[], prefix: string): string[] {
  const texts = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // Finite numbers (the common case: item ids) skip keyText's checks.
    texts[i] = typeof key === 'number' && key - key === 0 ? prefix + key : prefix + keyText(key);
  }
  return texts;
}
