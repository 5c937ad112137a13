import { allocShared } from './shared-alloc.js';
import { BytePool } from './byte-pool.js';
import { EntryLog } from './entry-log.js';
import { idHalves, splitId } from './id-codec.js';
import { zeroSlot } from './hash-slots.js';
import { SharedKvTable } from './kv-table.js';
import { buildSlots, copyHead } from './slot-builder.js';
import type { Id } from './table.js';

const utf8 = new TextEncoder();

/** Collects id → bytes pairs, then lays them out in shared memory. For a repeated id the last value wins. */
export class KvBuilder {
  private readonly log: EntryLog;
  private readonly pool = new BytePool();

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

  /** A string value is stored as UTF-8; bytes are copied. */
  add(id: Id, value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? utf8.encode(value) : value;
    splitId(id);
    this.addHalves(idHalves[0]!, idHalves[1]!, bytes, 0, bytes.length);
    return this;
  }

  /** Copies src[start, end) as the value. */
  addHalves(lo: number, hi: number, src: Uint8Array, start: number, end: number): void {
    this.log.push(lo, hi, this.pool.append(src, start, end));
  }

  build(): SharedKvTable {
    const built = buildSlots(this.log, true);
    const { slots, capacity, size } = built;
    const pool = this.pool;
    // Slots hold pool entry numbers; renumber the surviving entries 0..size-1
    // in slot order and copy only their bytes.
    const zero = zeroSlot(capacity);
    const used = (j: number): boolean => (j === zero ? built.hasZero : (slots[3 * j]! | slots[3 * j + 1]!) !== 0);
    const next = (j: number): number => (j + 1 === capacity ? zero : j + 1);
    let total = 0;
    for (let j = 0; j <= zero; j = next(j)) {
      if (used(j)) total += pool.end(slots[3 * j + 2]!) - pool.start(slots[3 * j + 2]!);
    }
    const offsets = new Float64Array(allocShared((size + 1) * 8));
    const values = new Uint8Array(allocShared(total));
    let entry = 0;
    let at = 0;
    for (let j = 0; j <= zero; j = next(j)) {
      if (used(j)) {
        const bytes = pool.entry(slots[3 * j + 2]!);
        values.set(bytes, at);
        offsets[entry] = at;
        slots[3 * j + 2] = entry++;
        at += bytes.length;
      }
    }
    offsets[entry] = at;
    copyHead(slots, 3, capacity);
    return new SharedKvTable({
      kind: 'kv',
      name: this.name,
      size,
      meta: { capacity, hasZero: built.hasZero ? 1 : 0 },
      buffers: {
        slots: slots.buffer as SharedArrayBuffer,
        offsets: offsets.buffer as SharedArrayBuffer,
        values: values.buffer as SharedArrayBuffer,
      },
    });
  }
}
