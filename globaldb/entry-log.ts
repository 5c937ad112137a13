/**
 * Entries in arrival order while a table is being built: id halves and one
 * uint32 payload each, packed as [lo, hi, payload] triples. The slot array is
 * sized only once every entry is known, so a file is read in one pass.
 */
export class EntryLog {
  words: Uint32Array;
  count = 0;

  constructor(expected = 1024) {
    this.words = new Uint32Array(Math.max(16, expected) * 3);
  }

  push(lo: number, hi: number, payload: number): void {
    let w = this.count * 3;
    if (w === this.words.length) w = this.grow();
    const words = this.words;
    words[w] = lo;
    words[w + 1] = hi;
    words[w + 2] = payload;
    this.count++;
  }

  private grow(): number {
    const bigger = new Uint32Array(this.words.length * 2);
    bigger.set(this.words);
    this.words = bigger;
    return this.count * 3;
  }
}
