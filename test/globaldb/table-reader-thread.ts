/**
 * Test thread: opens table images posted to it and answers queries, so tests
 * can check that other threads see the same shared memory.
 */
import { parentPort } from 'node:worker_threads';
import { openTable } from '../../globaldb/open-table.js';
import type { AnyTable, TableImage } from '../../globaldb/table.js';

export type ReaderRequest =
  | { type: 'open'; image: TableImage }
  /** Ids as decimal strings: every id fits, whatever its size. */
  | { type: 'get'; ids: string[] }
  /** Overwrites a map value in place, behind the table's back, to prove the memory is shared. */
  | { type: 'poke'; id: string; value: number };

export type ReaderReply =
  | { type: 'opened'; kind: string; size: number; bytes: number }
  | { type: 'values'; values: (number | boolean | string | null)[] }
  | { type: 'poked'; found: boolean };

let table: AnyTable | undefined;

function lookUp(id: string): number | boolean | string | null {
  const t = table!;
  switch (t.kind) {
    case 'set':
      return t.has(id);
    case 'map':
      return t.get(id) ?? null;
    case 'kv':
      return t.getString(id) ?? null;
    case 'weights':
      return t.row(Number(id)).reduce((a, b) => a + b, 0);
    case 'gbdt':
      return null; // a model has no ids to look up
  }
}

/**
 * Finds the id's slots by scanning the map's raw slots ([lo, hi, value];
 * slots 0 and 1 have copies at the end) and stores the value in them.
 */
function poke(image: TableImage, id: string, value: number): boolean {
  const slots = new Uint32Array(image.buffers.slots!);
  const big = BigInt(id);
  const lo = Number(big & 0xffff_ffffn);
  const hi = Number(big >> 32n);
  let found = false;
  for (let w = 0; w < slots.length; w += 3) {
    if (slots[w] === lo && slots[w + 1] === hi) {
      Atomics.store(slots, w + 2, value);
      found = true;
    }
  }
  return found;
}

parentPort!.on('message', (m: ReaderRequest) => {
  const reply = (r: ReaderReply): void => parentPort!.postMessage(r);
  if (m.type === 'open') {
    table = openTable(m.image);
    reply({ type: 'opened', kind: table.kind, size: table.size, bytes: table.bytes });
  } else if (m.type === 'get') {
    reply({ type: 'values', values: m.ids.map(lookUp) });
  } else {
    reply({ type: 'poked', found: poke(table!.image, m.id, m.value) });
  }
});
