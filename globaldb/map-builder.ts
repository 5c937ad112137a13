import { EntryLog } from './entry-log.js';
import { idHalves, splitId } from './id-codec.js';
import { SharedMapTable } from './map-table.js';
import { buildSlots } from './slot-builder.js';
import type { Id } from './table.js';

export const MAX_MAP_VALUE = 0xffff_ffff;

/** Collects id → uint32 pairs, then lays them out in shared memory. For a repeated id the last value wins. */
export class MapBuilder {
  private readonly log: EntryLog;

  constructor(
    readonly name: string,
    expected?: number,
  ) {
    this.log = new EntryLog(expected);
  }

  /** Pairs added so far, repeats included. */
  get entries(): number {
    return this.log.count;
  }

  add(id: Id, value: number): this {
    if (!(Number.isInteger(value) && value >= 0 && value <= MAX_MAP_VALUE)) {
      throw new RangeError(`map "${this.name}": value ${value} is not an integer in 0..4294967295`);
    }
    splitId(id);
    this.log.push(idHalves[0]!, idHalves[1]!, value);
    return this;
  }

  addHalves(lo: number, hi: number, value: number): void {
    this.log.push(lo, hi, value);
  }

  build(): SharedMapTable {
    const built = buildSlots(this.log, true);
    return new SharedMapTable({
      kind: 'map',
      name: this.name,
      size: built.size,
      meta: { capacity: built.capacity, hasZero: built.hasZero ? 1 : 0 },
      buffers: { slots: built.slots.buffer as SharedArrayBuffer },
    });
  }
}
