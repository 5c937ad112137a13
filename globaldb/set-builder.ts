import { EntryLog } from './entry-log.js';
import { idHalves, splitId } from './id-codec.js';
import { SharedSetTable } from './set-table.js';
import { buildSlots } from './slot-builder.js';
import type { Id } from './table.js';

/** Collects ids, then lays them out in shared memory. Adding an id twice keeps one. */
export class SetBuilder {
  private readonly log: EntryLog;

  constructor(
    readonly name: string,
    expected?: number,
  ) {
    this.log = new EntryLog(expected);
  }

  /** Ids added so far, repeats included. */
  get entries(): number {
    return this.log.count;
  }

  add(id: Id): this {
    splitId(id);
    this.log.push(idHalves[0]!, idHalves[1]!, 0);
    return this;
  }

  addHalves(lo: number, hi: number): void {
    this.log.push(lo, hi, 0);
  }

  build(): SharedSetTable {
    const built = buildSlots(this.log, false);
    return new SharedSetTable({
      kind: 'set',
      name: this.name,
      size: built.size,
      meta: { capacity: built.capacity, hasZero: built.hasZero ? 1 : 0 },
      buffers: { slots: built.slots.buffer as SharedArrayBuffer },
    });
  }
}
