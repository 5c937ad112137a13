import type { Writable } from 'node:stream';

/** Writes batches of output in input order although they finish in any order. */
export class OrderedWriter {
  private readonly pending = new Map<number, Uint8Array>();
  private next = 0;

  constructor(private readonly out: Writable) {}

  /** Batch `seq` is done: its output lines (empty when every key failed). */
  async put(seq: number, lines: Uint8Array): Promise<void> {
    this.pending.set(seq, lines);
    let full = false;
    for (let l; (l = this.pending.get(this.next)) !== undefined; this.next++) {
      this.pending.delete(this.next);
      if (l.byteLength > 0) full = !this.out.write(l) || full;
    }
    if (full) await new Promise((resolve) => this.out.once('drain', resolve));
  }
}
