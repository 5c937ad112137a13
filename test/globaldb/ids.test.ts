import { describe, expect, it } from 'vitest';
import { KvBuilder } from '../../globaldb/kv-builder.js';
import { MapBuilder } from '../../globaldb/map-builder.js';
import { SetBuilder } from '../../globaldb/set-builder.js';
import type { Id } from '../../globaldb/table.js';

const edges = [0n, 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n];
/** Ids next to the edges, none of them in the tables. */
const neighbours = [2n, 2n ** 32n - 1n, 2n ** 32n + 1n, 2n ** 53n - 2n, 2n ** 53n + 1n, 2n ** 64n - 2n, 2n ** 63n];

/** Every way the id can be written: bigint, decimal string, and number where that is exact and allowed (< 2^53). */
function forms(id: bigint): Id[] {
  const all: Id[] = [id, id.toString()];
  if (id <= BigInt(Number.MAX_SAFE_INTEGER)) all.push(Number(id));
  return all;
}

const valueOf = (i: number): number => [7, 0, 4294967295, 123, 2 ** 31, 1][i]!;

const set = new SetBuilder('edges');
const map = new MapBuilder('edges');
const kv = new KvBuilder('edges');
edges.forEach((id, i) => {
  set.add(id);
  map.add(id, valueOf(i));
  kv.add(id, `value of ${id}`);
});
const tables = { set: set.build(), map: map.build(), kv: kv.build() };

describe('ids at the edges of the range', () => {
  it('every table holds all six', () => {
    expect(tables.set.size).toBe(6);
    expect(tables.map.size).toBe(6);
    expect(tables.kv.size).toBe(6);
  });

  for (const [i, id] of edges.entries()) {
    it(`${id} is found in every form`, () => {
      for (const form of forms(id)) {
        expect(tables.set.has(form), `set.has(${String(form)})`).toBe(true);
        expect(tables.map.has(form)).toBe(true);
        expect(tables.map.get(form), `map.get(${String(form)})`).toBe(valueOf(i));
        expect(tables.kv.getString(form), `kv.getString(${String(form)})`).toBe(`value of ${id}`);
      }
    });
  }

  it('neighbours of the edges are misses', () => {
    for (const id of neighbours) {
      for (const form of forms(id)) {
        expect(tables.set.has(form), `set.has(${String(form)})`).toBe(false);
        expect(tables.map.get(form)).toBeUndefined();
        expect(tables.kv.get(form)).toBeUndefined();
      }
    }
  });

  it('batch calls agree, with BigUint64Array for the full range and Float64Array below 2^53', () => {
    const all = [...edges, ...neighbours];
    const big = BigUint64Array.from(all);
    const expectHit = all.map((id) => (edges.includes(id) ? 1 : 0));
    expect([...tables.set.hasMany(big)]).toEqual(expectHit);
    expect([...tables.map.hasMany(big)]).toEqual(expectHit);
    expect([...tables.kv.hasMany(big)]).toEqual(expectHit);
    expect([...tables.map.getMany(big, undefined, 99)]).toEqual(all.map((id) => (edges.includes(id) ? valueOf(edges.indexOf(id)) : 99)));
    expect(tables.kv.getMany(big).map((v) => (v === undefined ? undefined : Buffer.from(v).toString()))).toEqual(
      all.map((id) => (edges.includes(id) ? `value of ${id}` : undefined)),
    );

    const small = all.filter((id) => id < 2n ** 53n);
    const f64 = Float64Array.from(small, Number);
    expect([...tables.set.hasMany(f64)]).toEqual(small.map((id) => (edges.includes(id) ? 1 : 0)));
    const out = new Uint32Array(f64.length);
    expect(tables.map.getMany(f64, out)).toBe(out);
    expect([...out]).toEqual(small.map((id) => (edges.includes(id) ? valueOf(edges.indexOf(id)) : 0)));
  });

  it('an id without its 0 neighbour: a table without id 0 misses it', () => {
    const t = new SetBuilder('no-zero').add(1n).add(2n ** 64n - 1n).build();
    expect(t.has(0)).toBe(false);
    expect(t.has(0n)).toBe(false);
    expect([...t.hasMany(new Float64Array([0, 1]))]).toEqual([0, 1]);
  });

  it('refuses ids outside 0..2^64-1 and numbers that are not exact', () => {
    const bad: unknown[] = [-1, 1.5, Number.NaN, Infinity, 2 ** 53, 2 ** 60, -1n, 2n ** 64n, '-1', '12a', '', ' 1', '18446744073709551616', '1e3'];
    for (const id of bad) {
      expect(() => tables.map.get(id as Id), `get(${String(id)})`).toThrow(RangeError);
      expect(() => tables.set.has(id as Id), `has(${String(id)})`).toThrow(RangeError);
    }
    expect(() => tables.set.hasMany(new Float64Array([1, 0.5]))).toThrow(RangeError);
    expect(() => tables.map.get({} as unknown as Id)).toThrow(TypeError);
    expect(() => new MapBuilder('m').add(1, 2 ** 32)).toThrow(RangeError);
    expect(() => new MapBuilder('m').add(1, -1)).toThrow(RangeError);
  });

  it('leading zeros in a string id do not change it, as in files', () => {
    expect(tables.map.get('01')).toBe(valueOf(1));
    expect(tables.map.get('0000000000000000000000001')).toBe(valueOf(1));
    expect(tables.map.get('00018446744073709551615')).toBe(valueOf(5));
  });
});

describe('openTable', () => {
  it('wraps an image of each kind and refuses one whose buffers do not fit its numbers', async () => {
    const { openTable } = await import('../../globaldb/open-table.js');
    for (const t of Object.values(tables)) expect(openTable(t.image).size).toBe(6);
    const image = tables.map.image;
    expect(() => openTable({ ...image, meta: { ...image.meta, capacity: image.meta.capacity! + 1 } })).toThrow(TypeError);
    expect(() => openTable({ ...image, kind: 'kv' })).toThrow(TypeError);
    expect(() => openTable({ ...image, buffers: {} })).toThrow(TypeError);
  });
});
