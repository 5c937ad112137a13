/**
 * Values of a kv table while it is being built: the bytes of every entry,
 * back to back, in arrival order (duplicates included; the builder copies
 * only the surviving ones into shared memory).
 */
export class BytePool {
  private bytes = new Uint8Array(64 * 1024);
  private used = 0;
  /** ends[k]: end of entry k; entry k starts where entry k - 1 ends. */
  private ends = new Float64Array(1024);
  count = 0;

  /** Appends src[start, end) as a new entry and returns its number. */
  append(src: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (this.used + length > this.bytes.length) this.growBytes(this.used + length);
    this.bytes.set(src.subarray(start, end), this.used);
    this.used += length;
    if (this.count === this.ends.length) {
      const bigger = new Float64Array(this.ends.length * 2);
      bigger.set(this.ends);
      this.ends = bigger;
    }
    this.ends[this.count] = this.used;
    return this.count++;
  }

  start(k: number): number {
    return k === 0 ? 0 : this.ends[k - 1]!;
  }

  end(k: number): number {
    return this.ends[k]!;
  }

  /** Entry k's bytes (a view into the pool, valid until the next append). */
  entry(k: number): Uint8Array {
    return this.bytes.subarray(this.start(k), this.end(k));
  }

  private growBytes(needed: number): void {
    const bigger = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    bigger.set(this.bytes.subarray(0, this.used));
    this.bytes = bigger;
  }
}
