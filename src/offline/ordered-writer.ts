import type { Writable } from 'node:stream';

/** Writes lines in input order although requests finish in any order. */
export class OrderedWriter {
  private readonly pending = new Map<number, string | null>();
  private next = 0;

  constructor(private readonly out: Writable) {}

  /** Line `seq` is done: its text, or null when it produced nothing (failed or skipped). */
  async put(seq: number, line: string | null): Promise<void> {
    this.pending.set(seq, line);
    let chunk = '';
    while (this.pending.has(this.next)) {
      const l = this.pending.get(this.next);
      this.pending.delete(this.next++);
      if (l !== null && l !== undefined) chunk += `${l}\n`;
    }
    if (chunk !== '' && !this.out.write(chunk)) await new Promise((resolve) => this.out.once('drain', resolve));
  }

  /** Requests waiting for an earlier one to finish. */
  get waiting(): number {
    return this.pending.size;
  }
}
